using System.Net;
using System.Net.Sockets;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// Picks a TCP port that is free on 127.0.0.1 right now: bind port 0, read the port, release it. Another process may
/// take it before the broker binds it, so callers retry on "address in use".
/// </summary>
public static class PortPicker
{
    /// <summary>Picks a free port on 127.0.0.1.</summary>
    /// <returns>The port.</returns>
    public static int Pick()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
