using System.Net;
using System.Net.Sockets;

namespace Octopus.Mqtt.IntegrationTests.Engine;

internal static class FreePort
{
    /// <summary>Gets a TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
