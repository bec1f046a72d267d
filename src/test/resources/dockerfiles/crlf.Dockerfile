FROM scratch
RUN echo crlf \
  done
