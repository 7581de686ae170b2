using System.Globalization;
using System.Text;

namespace Octopus.Mqtt.Cli;

/// <summary>
/// Runs <c>pub</c> and <c>sub</c>: reads and checks the file as <c>render</c> does, then connects with the library's
/// device client, publishes once or prints what arrives, and disconnects gracefully.
/// </summary>
internal sealed class ConnectRunner(CliOutput output, IMqttDeviceClientFactory factory)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Lock _writing = new();

    public async Task<int> PublishAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        if (Prepare(request, publish: true, out var exitCode) is not var (device, options, topic))
        {
            return exitCode;
        }

        var client = factory.Create(device, options, References(request));
        await using var disconnect = client.ConfigureAwait(false);
        if (!await ConnectAsync(client, options, request, cancellationToken).ConfigureAwait(false))
        {
            return ExitCodes.Invalid;
        }

        var payload = request.Payload ?? [];
        var result = await client.PublishAsync(payload, new MqttPublishOptions { RenderMap = request.RenderMap }, cancellationToken).ConfigureAwait(false);
        if (!result.IsDelivered)
        {
            output.Error.WriteLine($"error: the message to {topic} was not delivered: {result}");
            return ExitCodes.Invalid;
        }

        output.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"published {payload.Length} bytes to {topic} (qos {(int)options.Message.Qos}, retained {(options.Message.Retained ? "true" : "false")}) as {client.ClientId}"));
        return ExitCodes.Valid;
    }

    public async Task<int> SubscribeAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        if (Prepare(request, publish: false, out var exitCode) is not var (device, options, topic))
        {
            return exitCode;
        }

        var client = factory.Create(device, options, References(request));
        await using var disconnect = client.ConfigureAwait(false);
        var subscribed = false;
        client.StateChanged += (_, e) =>
        {
            // Once subscribed, tell about a lost connection and its recovery; the client reconnects by itself.
            if (Volatile.Read(ref subscribed) && e.State != MqttConnectionState.Disposed)
            {
                Diagnostic($"connection: {e.State}{(e.Error is null ? string.Empty : $" ({Describe(e.Error)})")}");
            }
        };
        if (!await ConnectAsync(client, options, request, cancellationToken).ConfigureAwait(false))
        {
            return ExitCodes.Invalid;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        try
        {
            await client.SubscribeAsync(
                [new MqttDeviceSubscription { RenderMap = request.RenderMap }],
                (_, messageTopic, payload, _) =>
                {
                    lock (_writing)
                    {
                        output.Out.WriteLine($"{messageTopic} {Text(payload.Span)}");
                        output.Out.Flush();
                    }

                    if (Interlocked.Increment(ref received) == request.Count)
                    {
                        done.TrySetResult();
                    }

                    return ValueTask.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (MqttDeviceClientException e)
        {
            output.Error.WriteLine($"error: cannot subscribe to {topic}: {Describe(e)}");
            return ExitCodes.Invalid;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Valid;
        }

        Diagnostic($"subscribed to {topic} as {client.ClientId}{(request.Count is null ? "; Ctrl+C to stop" : string.Empty)}");
        Volatile.Write(ref subscribed, true);
        using (cancellationToken.Register(() => done.TrySetResult()))
        {
            await done.Task.ConfigureAwait(false);
        }

        return ExitCodes.Valid;
    }

    /// <summary>Reads and checks the file and renders the topic the command needs; <see langword="null"/> and an exit code when it cannot go on.</summary>
    private Prepared? Prepare(ConnectRequest request, bool publish, out int exitCode)
    {
        exitCode = ExitCodes.Invalid;
        LoadedDocument document;
        try
        {
            document = OptionsDocument.Load(DocumentFile.ReadAsJson(request.File), request.Identity);
        }
        catch (UnreadableDocumentException e)
        {
            output.Error.WriteLine($"error: {request.File}: {e.Message}");
            exitCode = ExitCodes.Unreadable;
            return null;
        }

        if (!document.IsDeviceLink && !document.HasFullIdentity)
        {
            output.Error.WriteLine(RenderCommand.IdentityRequired(request.File));
            exitCode = ExitCodes.Unreadable;
            return null;
        }

        var check = OptionsCheck.Run(document);
        ProblemWriter.Write(output.Error, check);
        if (!check.IsValid || check.Topic is null || document.Options is null || document.Identity is null)
        {
            output.Error.WriteLine($"{request.File}: not valid ({ProblemWriter.Count(check.ErrorCount, "error")})");
            return null;
        }

        try
        {
            var topic = publish ? check.Topic.RenderForPublish(request.RenderMap) : check.Topic.RenderForSubscribe(request.RenderMap);
            return new Prepared(document.Identity, document.Options, topic);
        }
        catch (MqttTopicException e)
        {
            output.Error.WriteLine($"error: no {(publish ? "publish" : "subscribe")} topic: {e.Message}");
            return null;
        }
    }

    private async Task<bool> ConnectAsync(IMqttDeviceClient client, MqttOptions options, ConnectRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Error.WriteLine($"stopped before connecting to {ServerRedaction.Redact(options.Client.Server)}");
            return false;
        }
        catch (Exception e) when (e is MqttDeviceClientException or MqttCredentialsException or ArgumentException or IOException)
        {
            output.Error.WriteLine($"error: cannot connect to {ServerRedaction.Redact(options.Client.Server)}: {Describe(e)}");
            if (request.ReferencesDirectory is null && Causes(e).Any(c => c is MqttCredentialsException))
            {
                output.Error.WriteLine("hint: give the directory of the DeviceLink's references with --references DIR (DIR/NAME/ITEM files, as Kubernetes mounts them)");
            }

            return false;
        }
    }

    private static DirectoryReferenceResolver? References(ConnectRequest request) =>
        request.ReferencesDirectory is { } directory ? new DirectoryReferenceResolver(directory) : null;

    private void Diagnostic(string line)
    {
        lock (_writing)
        {
            output.Error.WriteLine(line);
            output.Error.Flush();
        }
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    /// <summary>The message, then the messages of its causes that add something.</summary>
    private static string Describe(Exception exception)
    {
        var text = new StringBuilder(exception.Message.TrimEnd('.'));
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.ToString().Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal))
            {
                _ = text.Append(": ").Append(inner.Message.TrimEnd('.'));
            }
        }

        return text.ToString();
    }

    /// <summary>A payload as text when it is UTF-8, otherwise as base64.</summary>
    private static string Text(ReadOnlySpan<byte> payload)
    {
        try
        {
            return StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return $"(binary, base64) {Convert.ToBase64String(payload)}";
        }
    }

    private sealed record Prepared(DeviceIdentity Device, MqttOptions Options, string Topic);
}
