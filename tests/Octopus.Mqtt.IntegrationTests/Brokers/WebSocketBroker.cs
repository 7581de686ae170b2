using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet.AspNetCore;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// An MQTTnet broker behind ASP.NET Core Kestrel, reachable over WebSocket on 127.0.0.1: ws on one port and wss (with
/// a <see cref="TestCertificates"/> broker certificate) on another, both picked by Kestrel. It records the HTTP
/// request of every WebSocket handshake, so tests can check the headers that arrived, and the messages published.
/// </summary>
public sealed class WebSocketBroker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebSocketBroker(WebApplication app, string path)
    {
        _app = app;
        Path = path;
    }

    /// <summary>Gets the WebSocket path.</summary>
    public string Path { get; }

    /// <summary>Gets the ws port.</summary>
    public int WsPort { get; private set; }

    /// <summary>Gets the wss port.</summary>
    public int WssPort { get; private set; }

    /// <summary>Gets the <c>client.server</c> for ws.</summary>
    public string WsServer => $"ws://127.0.0.1:{WsPort}{Path}";

    /// <summary>Gets the <c>client.server</c> for wss (the broker certificates hold 127.0.0.1).</summary>
    public string WssServer => $"wss://127.0.0.1:{WssPort}{Path}";

    /// <summary>Gets the handshake requests received on <see cref="Path"/>.</summary>
    public ConditionRecorder<WebSocketHandshake> Handshakes { get; } = new();

    /// <summary>Gets the messages clients published, with the publishing client.</summary>
    public MessageRecorder Messages { get; } = new();

    /// <summary>Starts the broker.</summary>
    /// <param name="serverCertificate">The wss certificate; <see cref="TestCertificates.Server"/> when <see langword="null"/>.</param>
    /// <param name="path">The WebSocket path.</param>
    /// <returns>The running broker.</returns>
    public static async Task<WebSocketBroker> StartAsync(X509Certificate2? serverCertificate = null, string path = "/mqtt")
    {
        var certificate = serverCertificate ?? TestCertificates.Shared.Server;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        builder.Services.AddMqttServer(server => server.WithoutDefaultEndpoint());
        builder.Services.AddConnections();

        var app = builder.Build();
        var broker = new WebSocketBroker(app, path);
        app.Use((context, next) =>
        {
            if (context.Request.Path == path)
            {
                broker.Handshakes.Add(Describe(context.Request));
            }

            return next(context);
        });
        app.MapMqtt(path);
        app.UseMqttServer(server => server.InterceptingPublishAsync += e =>
        {
            broker.Messages.Add(e.ApplicationMessage, e.ClientId);
            return Task.CompletedTask;
        });

        try
        {
            await app.StartAsync().ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            foreach (var address in addresses)
            {
                var uri = new Uri(address);
                if (uri.Scheme == Uri.UriSchemeHttps)
                {
                    broker.WssPort = uri.Port;
                }
                else
                {
                    broker.WsPort = uri.Port;
                }
            }

            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops Kestrel and the broker.</summary>
    /// <returns>A task that completes when the ports are released.</returns>
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Startup);
        await _app.StopAsync(deadline.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static WebSocketHandshake Describe(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        return new WebSocketHandshake(request.Path + request.QueryString, request.IsHttps, headers);
    }
}
