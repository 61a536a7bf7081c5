package io.parley.media;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3 API server in-process on a free loopback port (s3proxy over jclouds' transient, in-memory store). */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "parley-test";
    static final String SECRET_KEY = "parley-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    S3ProxyServer() throws Exception {
        context = ContextBuilder.newBuilder("transient").overrides(new Properties())
                .credentials(ACCESS_KEY, SECRET_KEY).build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.onSpinWait();
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    MediaConfig.S3 config(String bucket) {
        return new MediaConfig.S3(endpoint(), "us-east-1", bucket, ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
