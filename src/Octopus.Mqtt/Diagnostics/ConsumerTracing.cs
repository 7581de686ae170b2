using System.Diagnostics;

namespace Octopus.Mqtt;

/// <summary>
/// The consumer span of a received message (<c>process {template}</c>, kind Consumer), started only when someone
/// listens; its parent is the trace context the message carries in its <c>traceparent</c> user property, if any.
/// </summary>
internal sealed class ConsumerTracing
{
    private readonly string _spanName;
    private readonly string _template;

    /// <summary>Initializes a new instance of the <see cref="ConsumerTracing"/> class.</summary>
    /// <param name="template">The topic template, for the span's name and tags.</param>
    public ConsumerTracing(string template)
    {
        _template = template;
        _spanName = "process " + template;
    }

    /// <summary>Starts the span of one message's handling, keeping the caller's current activity aside.</summary>
    /// <param name="message">The message.</param>
    /// <param name="clientId">The client ID.</param>
    /// <returns>The span (now the current activity), or <see langword="null"/> when nobody listens.</returns>
    public Activity? Start(MqttReceivedMessage message, string clientId)
    {
        var source = MqttDeviceClientTelemetry.Source;
        if (!source.HasListeners())
        {
            return null;
        }

        try
        {
            var activity = TraceContext.TryExtract(message.UserProperties, out var parent)
                ? source.StartActivity(_spanName, ActivityKind.Consumer, parent)
                : source.StartActivity(_spanName, ActivityKind.Consumer);
            if (activity is { IsAllDataRequested: true })
            {
                MqttDeviceClientTelemetry.SetMessagingTags(activity, "process", "process", _template, clientId, message.Payload.Length);
            }

            return activity;
        }
        catch (Exception)
        {
            // An activity listener that throws costs the message its span, nothing else.
            return null;
        }
    }

    /// <summary>Ends a span started by <see cref="Start"/>.</summary>
    /// <param name="activity">The span, or <see langword="null"/>.</param>
    /// <param name="error">What the handler threw, or <see langword="null"/>.</param>
    public static void Stop(Activity? activity, Exception? error)
    {
        if (activity is null)
        {
            return;
        }

        try
        {
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                activity.SetTag("error.type", error.GetType().FullName);
            }

            activity.Stop();
        }
        catch (Exception)
        {
            // Telemetry never changes a message's fate.
        }
    }
}
