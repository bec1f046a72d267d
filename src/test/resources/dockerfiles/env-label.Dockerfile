FROM busybox
ENV MY_NAME="John Doe" MY_DOG=Rex\ The\ Dog \
    MY_CAT=fluffy
ENV EMPTY= SINGLE='single $quoted'
ENV LEGACY_TWO  spaced   value  
LABEL "com.example.vendor"="ACME Incorporated"
LABEL multi.label1="value1" \
      multi.label2="value2" other="value3"
LABEL description="This text illustrates \
that label-values can span multiple lines."
