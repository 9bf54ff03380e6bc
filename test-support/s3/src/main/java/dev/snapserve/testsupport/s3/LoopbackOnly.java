package dev.snapserve.testsupport.s3;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Binds S3Mock's additional Tomcat connectors (plain HTTP, S3 Vectors) to 127.0.0.1: S3Mock creates
 * them without an address, which means every interface.
 */
@Configuration(proxyBeanMethods = false)
public class LoopbackOnly {
  @Bean
  static BindLoopback snapserveBindLoopback() {
    return new BindLoopback();
  }

  /** Runs last, after S3Mock's own customizers have added the connectors. */
  static final class BindLoopback
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.getAdditionalConnectors().forEach(c -> c.setProperty("address", "127.0.0.1"));
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
