package io.parley.perf;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A line chart as a PNG, drawn with the JDK alone (headless AWT): named series of (x, y) points,
 * linear x, linear or log-10 y, ticks, labels and a legend. For figures such as latency against
 * offered load in docs/.
 */
final class Plot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e)};

    record Series(String name, List<double[]> points) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();

    Plot(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    Plot add(String name, List<double[]> points) {
        series.add(new Series(name, points));
        return this;
    }

    void write(Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        double xMax = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[0]).max().orElse(1);
        double yMinRaw = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1]).filter(v -> v > 0)
                .min().orElse(1);
        double yMaxRaw = series.stream().flatMap(s -> s.points().stream()).mapToDouble(p -> p[1]).max().orElse(1);
        double yMin = logY ? Math.pow(10, Math.floor(Math.log10(yMinRaw))) : 0;
        double yMax = logY ? Math.pow(10, Math.ceil(Math.log10(yMaxRaw))) : niceCeiling(yMaxRaw);
        double xTop = niceCeiling(xMax);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();

        // Grid, ticks and tick labels.
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i <= 5; i++) {
            double x = xTop * i / 5;
            int px = LEFT + (int) (plotW * x / xTop);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = format(x);
            g.drawString(label, px - metrics.stringWidth(label) / 2, TOP + plotH + 18);
        }
        List<Double> yTicks = new ArrayList<>();
        if (logY) {
            for (double v = yMin; v <= yMax * 1.0001; v *= 10) {
                yTicks.add(v);
                if (v * 2 < yMax) {
                    yTicks.add(v * 2);
                    yTicks.add(v * 5);
                }
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                yTicks.add(yMax * i / 5);
            }
        }
        for (double v : yTicks) {
            int py = TOP + plotH - (int) (plotH * scaleY(v, yMin, yMax));
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = format(v);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), py + 5);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - metrics.stringWidth(xLabel) / 2, HEIGHT - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + plotH / 2 + metrics.stringWidth(yLabel) / 2), 22);
        rotated.dispose();

        // The series, then the legend.
        g.setStroke(new BasicStroke(2.2f));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(COLORS[s % COLORS.length]);
            int[] previous = null;
            for (double[] p : series.get(s).points()) {
                int px = LEFT + (int) (plotW * p[0] / xTop);
                int py = TOP + plotH - (int) (plotH * scaleY(Math.max(p[1], yMin), yMin, yMax));
                g.fillOval(px - 4, py - 4, 8, 8);
                if (previous != null) {
                    g.drawLine(previous[0], previous[1], px, py);
                }
                previous = new int[] {px, py};
            }
            int ly = TOP + 18 + s * 20;
            g.drawLine(LEFT + 15, ly - 5, LEFT + 40, ly - 5);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s).name(), LEFT + 48, ly);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private double scaleY(double v, double min, double max) {
        if (logY) {
            return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }
        return (v - min) / (max - min);
    }

    /** 1, 2 or 5 times a power of ten, at or above v. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= v) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String format(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
