FROM busybox
ONBUILD COPY . /app/src
onbuild env A=1
ONBUILD HEALTHCHECK NONE
