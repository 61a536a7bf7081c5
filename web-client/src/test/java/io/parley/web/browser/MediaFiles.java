package io.parley.web.browser;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import javax.imageio.ImageIO;

/** Files the media tests pick in the browser, and the SHA-256 both sides compare. */
final class MediaFiles {
    /** SHA-256 (hex) of what an element's blob: URL holds, computed in the page. */
    static final String SHA256_OF_URL = "(selector) => { const e = document.querySelector(selector);"
            + " const url = e.src || e.href; return fetch(url).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))"
            + ".then(d => [...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join('')); }";

    private MediaFiles() {
    }

    /** A real PNG (gradient and noise), so the browser can decode it and draw a thumbnail. */
    static Path picture(Path folder, String name, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0x2e86de), width, height, new Color(0xf6b93b)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        Random random = new Random(name.hashCode());
        for (int i = 0; i < width * height / 20; i++) {
            image.setRGB(random.nextInt(width), random.nextInt(height), random.nextInt(0xffffff));
        }
        Path file = folder.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    static Path randomFile(Path folder, String name, int bytes) throws IOException {
        byte[] data = new byte[bytes];
        new Random(bytes).nextBytes(data);
        return Files.write(folder.resolve(name), data);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
