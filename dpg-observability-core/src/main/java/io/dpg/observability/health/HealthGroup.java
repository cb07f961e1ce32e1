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
package io.dpg.observability.health;

/**
 * The probe groups of Kubernetes and MicroProfile Health. A check may belong to several.
 *
 * <ul>
 *   <li>{@link #LIVENESS}: is the process itself healthy (restart it if not)? Never an external system.</li>
 *   <li>{@link #READINESS}: can it serve traffic now (database reachable, extension present)?</li>
 *   <li>{@link #STARTUP}: has it finished starting?</li>
 * </ul>
 */
public enum HealthGroup {
    LIVENESS("liveness"),
    READINESS("readiness"),
    STARTUP("startup");

    private final String tagValue;

    HealthGroup(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The lower-case name used as the {@code group} tag value. */
    public String tagValue() {
        return tagValue;
    }
}
