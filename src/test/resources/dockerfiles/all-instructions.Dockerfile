# Every instruction once, in its common forms.
ARG BASE=busybox
FROM --platform=linux/amd64 ${BASE}:1.36 AS Base
MAINTAINER Jane Doe <jane@example.com>
RUN echo "shell form" && true
RUN ["/bin/echo", "exec form"]
RUN --network=none echo offline
COPY --chown=1000:1000 --chmod=0644 a.txt b.txt /dest/
COPY --from=base /etc/passwd /passwd
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar.gz /x/
ENV A=1 B="two words"
ENV LEGACY the rest of the line
ARG VERSION=1.0 OTHER
WORKDIR /app
USER app:app
EXPOSE 80/tcp 53/udp
LABEL org.example.name="demo" version=$VERSION
ENTRYPOINT ["/bin/sh", "-c"]
CMD echo hello
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp/x
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=1m30s --start-period=5s --start-interval=500ms --retries=3 CMD ["curl", "-f", "http://localhost/"]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ONBUILD RUN make
