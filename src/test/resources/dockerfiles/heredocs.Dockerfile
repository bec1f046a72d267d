FROM busybox
RUN <<EOF
echo hello
# not a comment: heredoc bodies are verbatim
EOF
RUN <<-EOT sh -x
	echo tabs stripped
		echo all leading tabs
	EOT
RUN cat <<A >/a && cat <<'B' >/b
first $HOME
A
second $HOME
B
COPY <<EOF /etc/motd
Welcome
EOF
COPY <<one <<two /dir/
1
one
2
two
ADD <<"X" foo.txt /bar/
x
X
RUN ["sh", "-c", "cat <<EOF"]
RUN echo "<<NOHEREDOC"
RUN 3<<FD cat /proc/self/fd/3
three
FD
