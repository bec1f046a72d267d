package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;

/** Where a blob to upload is read from, from its start each time it is opened (a request may be sent again). */
@FunctionalInterface
public interface BlobSource {

    InputStream open() throws IOException;
}
