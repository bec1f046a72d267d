FROM busybox
ENV foo=/bar
WORKDIR ${foo}
ADD . $foo
COPY \$foo /quux
ENV abc=hello
ENV abc=bye def=$abc
ENV ghi=$abc
LABEL "com.example.who"="${USER:-nobody}" plus=${abc:+set} 'single'='$abc'
ARG VERSION=1.0
ARG FROM_GLOBAL
EXPOSE ${PORT:-8080}/tcp
USER ${UID-1000}:${GID+ignored}
VOLUME ["${foo}/data"]
STOPSIGNAL SIG${SIG:-TERM}
RUN echo $foo ${VERSION}
ENV VERSION=env-wins
WORKDIR "dir with space"/$VERSION
