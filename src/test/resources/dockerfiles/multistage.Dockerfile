ARG GO=1.22
ARG BASE
FROM golang:${GO} AS Build
ARG APP=server
RUN go build -o /out/$APP .

FROM alpine:3.20 AS tools
RUN apk add curl

FROM build AS test
RUN go test ./...

FROM scratch AS unused
COPY --from=tools /usr/bin/curl /curl

FROM ${BASE:-debian:12-slim}
ARG APP=server
COPY --from=build /out/${APP} /usr/local/bin/
COPY --from=0 /go/pkg /pkg
COPY --from=docker.io/library/busybox:latest /bin/busybox /bin/
CMD ["/usr/local/bin/server"]
