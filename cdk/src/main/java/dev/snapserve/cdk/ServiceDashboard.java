package dev.snapserve.cdk;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.lambda.Alias;
import software.constructs.Construct;

/**
 * One CloudWatch dashboard per service: invocations, errors and latency per function alias (one
 * line per route), invocations, latency and utilisation per endpoint variant.
 */
public final class ServiceDashboard extends Construct {
  private static final int WIDTH = 8;
  private final Dashboard dashboard;

  public ServiceDashboard(Construct scope, String id, ServiceDashboardProps props) {
    super(scope, id);
    Dashboard.Builder d = Dashboard.Builder.create(this, "Dashboard");
    if (props.dashboardName() != null) d.dashboardName(props.dashboardName());
    dashboard = d.defaultInterval(Duration.hours(3)).build();
    MetricOptions sum =
        MetricOptions.builder().statistic("Sum").period(Duration.minutes(1)).build();
    MetricOptions p99 =
        MetricOptions.builder().statistic("p99").period(Duration.minutes(1)).build();
    for (InferenceFunction fn : props.functions()) {
      List<IMetric> invocations = new ArrayList<>();
      List<IMetric> errors = new ArrayList<>();
      List<IMetric> latency = new ArrayList<>();
      for (Alias alias : fn.aliases().values()) {
        invocations.add(alias.metricInvocations(label(sum, alias.getAliasName())));
        errors.add(alias.metricErrors(label(sum, alias.getAliasName())));
        latency.add(alias.metricDuration(label(p99, alias.getAliasName() + " p99")));
      }
      row(
          fn.getNode().getId() + " (Lambda)",
          graph("Invocations per route", invocations),
          graph("Errors per route", errors),
          graph("Duration p99 (ms) per route", latency));
    }
    for (GpuEndpoint ep : props.gpuEndpoints()) {
      List<IMetric> invocations = new ArrayList<>();
      List<IMetric> latency = new ArrayList<>();
      List<IMetric> utilisation = new ArrayList<>();
      for (String v : ep.variantNames()) {
        invocations.add(ep.metric("Invocations", v, "Sum"));
        latency.add(ep.metric("ModelLatency", v, "p99"));
        utilisation.add(ep.instanceMetric("GPUUtilization", v));
        utilisation.add(ep.instanceMetric("CPUUtilization", v));
      }
      row(
          ep.getNode().getId() + " (SageMaker)",
          graph("Invocations per variant", invocations),
          graph("Model latency p99 (us) per variant", latency),
          graph("GPU / CPU utilisation (%)", utilisation));
    }
    for (ServerlessEndpoint ep : props.serverlessEndpoints()) {
      row(
          ep.getNode().getId() + " (SageMaker serverless)",
          graph("Invocations", List.of(ep.metric("Invocations", "Sum"))),
          graph("Model latency p99 (us)", List.of(ep.metric("ModelLatency", "p99"))),
          graph("5xx errors", List.of(ep.metric("Invocation5XXErrors", "Sum"))));
    }
  }

  private static MetricOptions label(MetricOptions base, String label) {
    return MetricOptions.builder()
        .statistic(base.getStatistic())
        .period(base.getPeriod())
        .label(label)
        .build();
  }

  private void row(String title, IWidget... widgets) {
    dashboard.addWidgets(
        TextWidget.Builder.create().markdown("### " + title).width(24).height(1).build());
    dashboard.addWidgets(widgets);
  }

  private static GraphWidget graph(String title, List<IMetric> metrics) {
    return GraphWidget.Builder.create().title(title).left(metrics).width(WIDTH).height(6).build();
  }

  public Dashboard dashboard() {
    return dashboard;
  }
}
