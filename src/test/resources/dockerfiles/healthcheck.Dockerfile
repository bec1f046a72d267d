FROM busybox
HEALTHCHECK NONE
HEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1
HEALTHCHECK --interval=1h2m3.5s --retries=0 CMD ["true"]
