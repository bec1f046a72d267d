FROM scratch
RUN echo one \
    two \
# a comment inside the continuation is dropped
    three \

    four
RUN echo a\
b
  run   echo   indented and lower case   
ENV X=1 \   
    Y=2
# A directive-looking line after an instruction is a comment:
# escape=`
COPY a \
  b /c/
RUN echo last \
