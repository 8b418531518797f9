package testsupport.db;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test that runs twice, once with its job repository in the default H2 file and once in
 * PostgreSQL, each invocation named {@code [H2]} or {@code [PostgreSQL]}. The method takes a
 * {@link RepositoryDatabase} and opens its repository with {@link RepositoryDatabase#scratch}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "[{0}]")
@EnumSource(value = RepositoryDatabase.class, names = {"H2", "POSTGRESQL"})
public @interface OnH2AndPostgreSQL {
}
