package dev.berth.registry.distribution;

import dev.berth.registry.upload.UploadWrite;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A blob body on its way into an upload: the bytes go to the upload as they arrive, the answer when it ends. */
final class UploadBody implements AsyncBody.Sink {

    /** The answer to a body that made it into the upload. */
    interface Answer {
        void write(HttpServletResponse response, long size) throws IOException;
    }

    private final UploadWrite write;
    private final Answer answer;

    UploadBody(UploadWrite write, Answer answer) {
        this.write = write;
        this.answer = answer;
    }

    @Override
    public void accept(byte[] buffer, int offset, int length) throws IOException {
        write.write(buffer, offset, length);
    }

    @Override
    public void end(HttpServletResponse response) throws IOException {
        answer.write(response, write.finish());
    }

    @Override
    public void abandon(String why) {
        write.abandon(why);
    }
}
