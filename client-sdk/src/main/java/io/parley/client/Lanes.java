package io.parley.client;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs work for each item with at most {@code width} in flight: the fan-outs of sender keys and broadcasts. */
final class Lanes {
    private Lanes() {
    }

    static <T> Future<Void> forEach(List<T> items, int width, Function<T, Future<Void>> work) {
        List<Future<Void>> lanes = new ArrayList<>();
        int count = Math.min(width, items.size());
        for (int lane = 0; lane < count; lane++) {
            lanes.add(next(items, lane, count, work));
        }
        return Future.all(lanes).mapEmpty();
    }

    private static <T> Future<Void> next(List<T> items, int index, int stride, Function<T, Future<Void>> work) {
        if (index >= items.size()) {
            return Future.succeededFuture();
        }
        return work.apply(items.get(index)).compose(v -> next(items, index + stride, stride, work));
    }
}
