/*
 * Copyright 2026 The dpg-observability maintainers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.dpg.observability;

/**
 * Recall@k measurements of one collection and metric, as {@link VectorSearchObserver#recall()} sees them now.
 *
 * @param count  measurements since the observer was built
 * @param mean   mean of all of them; NaN when there are none
 * @param recent measurements in the recent window (the last {@value RecallWindow#SIZE} at most)
 * @param low    the 10th percentile of the recent window (nearest rank), NaN when empty: a low quantile,
 *               because a few bad searches matter more than the average
 * @param min    the lowest recent measurement, NaN when empty
 */
public record RecallSnapshot(long count, double mean, int recent, double low, double min) {
}
