# syntax=docker/dockerfile:1.7
# Escape = \

FROM scratch
