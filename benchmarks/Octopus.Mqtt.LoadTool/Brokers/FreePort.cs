using System.Net;
using System.Net.Sockets;

namespace Octopus.Mqtt.LoadTool.Brokers;

/// <summary>Picks a TCP port free on 127.0.0.1 right now (bind port 0, read it, release it).</summary>
internal static class FreePort
{
    public static int Pick()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
