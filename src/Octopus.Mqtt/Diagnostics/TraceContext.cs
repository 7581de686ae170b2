using System.Diagnostics;

namespace Octopus.Mqtt;

/// <summary>
/// W3C trace context in MQTT 5 user properties: a producer span's context goes out as <c>traceparent</c> (and
/// <c>tracestate</c> when it has one); a received message's is read back to parent the consumer span.
/// </summary>
internal static class TraceContext
{
    /// <summary>The user property of the W3C <c>traceparent</c> header.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The user property of the W3C <c>tracestate</c> header.</summary>
    public const string TraceState = "tracestate";

    /// <summary>Adds the span's context to the message's user properties, unless the caller set a <c>traceparent</c> of its own.</summary>
    /// <param name="activity">The message's producer span.</param>
    /// <param name="message">The message.</param>
    public static void Inject(Activity activity, OutboundMessage message)
    {
        if (activity.IdFormat != ActivityIdFormat.W3C)
        {
            return;
        }

        var properties = message.Properties ?? new MessageProperties();
        var existing = properties.UserProperties ?? [];
        foreach (var property in existing)
        {
            if (string.Equals(property.Name, TraceParent, StringComparison.Ordinal))
            {
                return;
            }
        }

        var state = activity.TraceStateString;
        var added = string.IsNullOrEmpty(state) ? 1 : 2;
        var all = new UserProperty[existing.Length + added];
        existing.CopyTo(all, 0);
        all[existing.Length] = new UserProperty(TraceParent, activity.Id!);
        if (added == 2)
        {
            all[existing.Length + 1] = new UserProperty(TraceState, state!);
        }

        message.Properties = properties with { UserProperties = all };
    }

    /// <summary>Reads the trace context a message carries.</summary>
    /// <param name="properties">The message's user properties.</param>
    /// <param name="context">The remote parent context.</param>
    /// <returns><see langword="true"/> when the message carries a valid <c>traceparent</c>.</returns>
    public static bool TryExtract(IReadOnlyList<UserProperty> properties, out ActivityContext context)
    {
        string? parent = null;
        string? state = null;
        foreach (var property in properties)
        {
            if (parent is null && string.Equals(property.Name, TraceParent, StringComparison.Ordinal))
            {
                parent = property.Value;
            }
            else if (state is null && string.Equals(property.Name, TraceState, StringComparison.Ordinal))
            {
                state = property.Value;
            }
        }

        if (parent is not null && ActivityContext.TryParse(parent, state, isRemote: true, out context))
        {
            return true;
        }

        context = default;
        return false;
    }
}
