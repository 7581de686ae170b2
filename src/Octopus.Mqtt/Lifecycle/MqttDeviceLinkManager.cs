using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Octopus.Mqtt;

/// <summary>
/// Runs the MQTT lifecycle of a set of devices (see <see cref="IMqttDeviceLinks"/>) on clients from an
/// <see cref="IMqttDeviceClientFactory"/>. <c>AddOctopusMqtt()</c> registers one as <see cref="IMqttDeviceLinks"/>;
/// without dependency injection, create one per adaptor and dispose it at shutdown.
/// </summary>
/// <remarks>
/// Options are compared field by field, references by the SHA-256 digests of the values they resolve to (the secrets
/// themselves are not kept). Disposing disconnects every client gracefully, in parallel.
/// </remarks>
public sealed class MqttDeviceLinkManager : IMqttDeviceLinks
{
    private readonly ConcurrentDictionary<DeviceIdentity, DeviceLinkSlot> _slots = new();
    private readonly IMqttDeviceClientFactory _factory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="MqttDeviceLinkManager"/> class.</summary>
    /// <param name="factory">Creates the devices' clients.</param>
    /// <param name="loggerFactory">Where the lifecycle is logged (category <c>Octopus.Mqtt.DeviceLinks</c>); nowhere when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of <see cref="MqttDeviceLinkStatus.DisconnectedSince"/>; the system clock when <see langword="null"/>.</param>
    public MqttDeviceLinkManager(IMqttDeviceClientFactory factory, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Octopus.Mqtt.DeviceLinks");
    }

    /// <summary>
    /// Gets the resolver used when <see cref="ConfigureAsync"/> is given none: <c>AddOctopusMqtt()</c> sets the
    /// <see cref="IReferenceResolver"/> service, if registered.
    /// </summary>
    internal IReferenceResolver? DefaultReferences { get; init; }

    /// <summary>Occurs after a device's client was set or removed (under the device's lock).</summary>
    internal event Action<DeviceIdentity>? ClientChanged;

    /// <inheritdoc />
    public async Task<IMqttDeviceClient?> ConfigureAsync(
        DeviceIdentity device,
        MqttOptions? options,
        IReferenceResolver? references = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        ThrowIfDisposed();
        if (options is null)
        {
            await RemoveAsync(device, cancellationToken).ConfigureAwait(false);
            return null;
        }

        // Refuse bad options before anything changes: the current client, if any, stays.
        var copy = MqttOptionsCopy.Create(options);
        var plan = DeviceClientPlan.Create(device, copy);
        references ??= DefaultReferences;
        var fingerprint = await ReferenceFingerprint.ComputeAsync(copy, references, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var slot = _slots.GetOrAdd(device, static (d, time) => new DeviceLinkSlot(d, time), _time);
            await slot.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (slot.Removed)
                {
                    continue;
                }

                ThrowIfDisposed();
                return await ConfigureLockedAsync(slot, plan, references, fingerprint, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slot.Lock.Release();
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(DeviceIdentity device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!_slots.TryGetValue(device, out var slot))
        {
            return false;
        }

        await slot.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RemoveLockedAsync(slot).ConfigureAwait(false);
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    /// <inheritdoc />
    public IMqttDeviceClient? GetClient(DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return _slots.TryGetValue(device, out var slot) ? slot.Client : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<MqttDeviceLinkStatus> GetStatus()
    {
        var statuses = new List<MqttDeviceLinkStatus>();
        foreach (var slot in _slots.Values)
        {
            if (slot.GetStatus() is { } status)
            {
                statuses.Add(status);
            }
        }

        return statuses;
    }

    /// <summary>Disconnects every device's client gracefully, in parallel, and refuses further configurations.</summary>
    /// <returns>A task that completes when every client is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAllAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Removes every device, in parallel, until <paramref name="cancellationToken"/> says to stop waiting.</summary>
    /// <param name="cancellationToken">Ends the wait (the removals go on).</param>
    /// <returns>A task that completes when every device is removed, or when the wait ends.</returns>
    /// <exception cref="OperationCanceledException">The wait ended before every device was removed.</exception>
    internal Task StopAllAsync(CancellationToken cancellationToken)
    {
        var removals = new List<Task>();
        foreach (var device in _slots.Keys)
        {
            removals.Add(RemoveAsync(device, CancellationToken.None));
        }

        return Task.WhenAll(removals).WaitAsync(cancellationToken);
    }

    /// <summary>Gets a value indicating whether two options keep messages in the same File store (a successor then reads what its predecessor kept).</summary>
    private static bool SameStore(MqttOptions? before, MqttOptions after) =>
        before is not null
        && before.Client.Store.Type == MqttStoreType.File
        && after.Client.Store.Type == MqttStoreType.File
        && string.Equals(Path.GetFullPath(before.Client.Store.DirectoryPrefix), Path.GetFullPath(after.Client.Store.DirectoryPrefix), StringComparison.Ordinal);

    private async Task<IMqttDeviceClient> ConfigureLockedAsync(
        DeviceLinkSlot slot,
        DeviceClientPlan plan,
        IReferenceResolver? references,
        ReferenceFingerprint fingerprint,
        CancellationToken cancellationToken)
    {
        var device = slot.Device;
        var options = plan.Options;
        slot.References.Target = references;
        var optionsChanged = slot.Options is null || !MqttOptionsComparer.Instance.Equals(slot.Options, options);
        var referencesChanged = slot.Fingerprint is null || !slot.Fingerprint.Equals(fingerprint);
        if (slot.Client is { } current && !optionsChanged && !referencesChanged)
        {
            Log.DeviceUnchanged(_logger, device.Namespace, device.Name);
            if (current.State == MqttConnectionState.Disconnected)
            {
                Log.DeviceReconnecting(_logger, device.Namespace, device.Name);
                await current.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            return current;
        }

        IReadOnlyList<OutboundMessage> carried = [];
        IMessageHandover? previous = null;
        var previousOptions = slot.Options;
        if (slot.Detach() is { } old)
        {
            // Old first: two clients with one client ID would take the session from each other, and one File store
            // directory is locked by one client at a time.
            previous = old as IMessageHandover;
            if (previous is not null)
            {
                carried = await previous.DisposeAndHandOverAsync(keepStored: SameStore(previousOptions, options)).ConfigureAwait(false);
            }
            else
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }

            var changed = optionsChanged && referencesChanged ? "options and references" : optionsChanged ? "options" : "references";
            Log.DeviceReplaced(_logger, device.Namespace, device.Name, changed, carried.Count);
        }

        IMqttDeviceClient client;
        try
        {
            client = _factory is IPlannedDeviceClientFactory planned
                ? planned.Create(plan, slot.References)
                : _factory.Create(device, options, slot.References);
        }
        catch
        {
            previous?.Abandon(carried);
            throw;
        }

        if (carried.Count > 0)
        {
            if (client is IMessageHandover successor)
            {
                successor.Adopt(carried);
            }
            else
            {
                Log.MessagesNotCarried(_logger, carried.Count, device.Namespace, device.Name);
                previous!.Abandon(carried);
            }
        }

        slot.Attach(client, options, fingerprint);
        ClientChanged?.Invoke(device);
        Log.DeviceClientCreated(_logger, device.Namespace, device.Name, client.ClientId);
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    private async Task<bool> RemoveLockedAsync(DeviceLinkSlot slot)
    {
        if (slot.Removed)
        {
            return false;
        }

        slot.Removed = true;
        _slots.TryRemove(new KeyValuePair<DeviceIdentity, DeviceLinkSlot>(slot.Device, slot));
        var client = slot.Detach();
        if (client is null)
        {
            return false;
        }

        await client.DisposeAsync().ConfigureAwait(false);
        ClientChanged?.Invoke(slot.Device);
        Log.DeviceRemoved(_logger, slot.Device.Namespace, slot.Device.Name);
        return true;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
