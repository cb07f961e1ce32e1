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
package io.dpg.observability.jdbc.pgvector;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Array;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A JPA entity with a pgvector column, mapped by Hibernate ORM's vector module. */
@Entity
@Table(name = "hib_docs")
public class HibernateDoc {

    @Id
    private Long id;

    private String content;

    @JdbcTypeCode(SqlTypes.VECTOR)
    @Array(length = FakeEmbeddings.DIMENSIONS)
    private float[] embedding;

    protected HibernateDoc() {
    }

    HibernateDoc(long id, String content) {
        this.id = id;
        this.content = content;
        this.embedding = FakeEmbeddings.embed(content);
    }

    public Long getId() {
        return id;
    }

    public String getContent() {
        return content;
    }
}
