using System.Globalization;

namespace Octopus.Mqtt;

/// <summary>The outcome of one publish: delivered, queued for later, or dropped with a reason.</summary>
/// <remarks>The common results are cached instances, so a publish allocates no result object.</remarks>
public sealed class MqttPublishResult
{
    private static readonly MqttPublishResult[] DroppedResults =
    [
        new(MqttPublishStatus.Dropped, MqttDropReason.None, 0),
        new(MqttPublishStatus.Dropped, MqttDropReason.QueueOverflow, 0),
        new(MqttPublishStatus.Dropped, MqttDropReason.RefusedByBroker, 0),
        new(MqttPublishStatus.Dropped, MqttDropReason.Disposed, 0),
        new(MqttPublishStatus.Dropped, MqttDropReason.Invalid, 0),
        new(MqttPublishStatus.Dropped, MqttDropReason.StoreFailed, 0),
        new(MqttPublishStatus.Dropped, MqttDropReason.Expired, 0),
        new(MqttPublishStatus.Dropped, MqttDropReason.Superseded, 0),
    ];

    private MqttPublishResult(MqttPublishStatus status, MqttDropReason dropReason, int reasonCode)
    {
        Status = status;
        DropReason = dropReason;
        ReasonCode = reasonCode;
    }

    /// <summary>Gets the result of a delivered message.</summary>
    public static MqttPublishResult Delivered { get; } = new(MqttPublishStatus.Delivered, MqttDropReason.None, 0);

    /// <summary>Gets the result of a message accepted for later delivery.</summary>
    public static MqttPublishResult Queued { get; } = new(MqttPublishStatus.Queued, MqttDropReason.None, 0);

    /// <summary>Gets what happened to the message.</summary>
    public MqttPublishStatus Status { get; }

    /// <summary>Gets why the message was dropped, or <see cref="MqttDropReason.None"/> when it was not.</summary>
    public MqttDropReason DropReason { get; }

    /// <summary>Gets the broker's reason code when it refused the message (<see cref="MqttDropReason.RefusedByBroker"/>), otherwise 0.</summary>
    public int ReasonCode { get; }

    /// <summary>Gets a value indicating whether the message was delivered.</summary>
    public bool IsDelivered => Status == MqttPublishStatus.Delivered;

    /// <summary>Gets the result of a dropped message.</summary>
    /// <param name="reason">Why the message was dropped.</param>
    /// <param name="reasonCode">The broker's reason code, when the broker refused the message.</param>
    /// <returns>The result; a cached instance unless <paramref name="reasonCode"/> is not 0.</returns>
    public static MqttPublishResult Dropped(MqttDropReason reason, int reasonCode = 0)
    {
        if (reasonCode == 0 && (uint)reason < (uint)DroppedResults.Length)
        {
            return DroppedResults[(int)reason];
        }

        return new MqttPublishResult(MqttPublishStatus.Dropped, reason, reasonCode);
    }

    /// <summary>Describes the result, e.g. <c>Dropped (RefusedByBroker, reason code 135)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Status switch
    {
        MqttPublishStatus.Dropped when ReasonCode != 0 => string.Create(CultureInfo.InvariantCulture, $"Dropped ({DropReason}, reason code {ReasonCode})"),
        MqttPublishStatus.Dropped => string.Create(CultureInfo.InvariantCulture, $"Dropped ({DropReason})"),
        _ => Status.ToString(),
    };
}
