package dev.berth.client;

import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code GET /v2/}: is this a registry, and do the credentials work (used by login). */
final class Ping implements RegistryEndpoint<Void> {

    private final String registry;

    Ping(String registry) {
        this.registry = registry;
    }

    @Override
    public String path() {
        return "";
    }

    @Override
    public List<MediaType> accept() {
        return List.of();
    }

    @Override
    public String scope() {
        return null;
    }

    @Override
    public String description() {
        return "check registry " + registry;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.NOT_FOUND;
    }

    @Override
    public Void handle(HttpResponse<InputStream> response) {
        return null;
    }
}
