package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Streamed uploads: PATCH without Content-Range (the conformance suite's "Blob Upload Streamed"). */
class StreamedUploadIT extends OciSpecTest {

    private final String repo = uniqueName("streamed");

    @Test
    void aPatchWithoutContentRangeTakesTheWholeBlob() {
        byte[] content = randomBytes(4096);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);

        OciClient.Response patched = registry().patch(location, content, "Content-Type", "application/octet-stream");

        assertThat(patched.status()).isEqualTo(202);
        assertThat(patched.header("Range")).isEqualTo("0-4095");
        assertThat(patched.header("Location")).isEqualTo(location);
        assertThat(patched.header("Docker-Upload-UUID")).isEqualTo(uploadId(location));
        OciClient.Response closed = registry().put(patched.header("Location") + "?digest=" + digest, null);
        assertThat(closed.status()).isEqualTo(201);
        assertThat(closed.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void severalStreamedPatchesAppend() {
        byte[] content = randomBytes(1000);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);

        assertThat(registry().patch(location, Arrays.copyOfRange(content, 0, 400)).header("Range")).isEqualTo("0-399");
        assertThat(registry().patch(location, Arrays.copyOfRange(content, 400, 1000)).header("Range")).isEqualTo("0-999");

        assertThat(registry().put(location + "?digest=" + digest, null).status()).isEqualTo(201);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void aChunkedTransferEncodedStreamOfUnknownLengthIsTakenWhole() {
        byte[] content = randomBytes(2_500_000);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);

        OciClient.Response patched = registry().send("PATCH", location,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)),
                "Content-Type", "application/octet-stream");

        assertThat(patched.status()).as(patched.text()).isEqualTo(202);
        assertThat(patched.header("Range")).isEqualTo("0-2499999");
        assertThat(registry().put(location + "?digest=" + digest, null).status()).isEqualTo(201);
        OciClient.Response pulled = registry().get("/v2/" + repo + "/blobs/" + digest);
        assertThat(OciClient.sha256(pulled.body())).isEqualTo(digest);
    }

    @Test
    void aStreamedUploadWithTheWrongDigestStoresNothing() {
        byte[] content = randomBytes(700);
        String wrong = OciClient.sha256(randomBytes(700));
        String location = registry().startUpload(repo);
        registry().patch(location, content);

        assertOciError(registry().put(location + "?digest=" + wrong, null), 400, "DIGEST_INVALID");
        assertThat(blobFile(wrong)).doesNotExist();
        assertThat(blobFile(OciClient.sha256(content))).doesNotExist();
    }

    @Test
    void aClientThatWaitsForContinueIsToldToSendItsBody() throws Exception {
        byte[] content = randomBytes(5000);
        String location = registry().startUpload(repo);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            // Generous: the answer comes at once, a server waiting for a blocking read would never send it.
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + content.length + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100");
            out.write(content);
            out.flush();
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).contains("HTTP/1.1 202").contains("Range: 0-4999");
        }
    }

    @Test
    void aMalformedChunkedBodyIsACleanErrorAndTheUploadIsUnchanged() {
        String location = registry().startUpload(repo);
        String head = "PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";

        RawHttp.Answer answer = RawHttp.exchange(port, head, OciClient.utf8("5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n"), false);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        assertErrorBody(answer.body(), "BLOB_UPLOAD_INVALID");
        assertThat(registry().get(location).header("Range")).isEqualTo("0-0");
    }
}
