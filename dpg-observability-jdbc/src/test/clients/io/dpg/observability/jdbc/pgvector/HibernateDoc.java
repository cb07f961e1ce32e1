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
