# Compared with buildah by DockerfileBuildahIT (buildah 1.28 knows no ${VAR-x}/${VAR+x}, so none here).
FROM scratch
ENV abc=hello
ENV abc=bye def=$abc
ENV MY_DOG=Rex\ The\ Dog Q="a \"q\" b" S='single $abc' E=${unset:-dflt} P=${abc:+set}
ARG V=1
LABEL "com.example.who"="${USER:-nobody}" v=$V legacy=x
ENV LEGACY the rest   of it
WORKDIR /a/$abc
USER ${UID:-1000}:g
STOPSIGNAL SIG${SIG:-TERM}
EXPOSE ${PORT:-8080}/tcp
VOLUME ["/v/${abc}"]
