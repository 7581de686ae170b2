namespace Octopus.Mqtt;

/// <summary>The servers a device client tries, in order: <c>client.server</c>, then each entry of <c>client.servers</c> not already listed.</summary>
internal static class ServerList
{
    /// <summary>Parses the servers of <paramref name="client"/>.</summary>
    /// <param name="client">The <c>client</c> options.</param>
    /// <returns>The addresses, <c>client.server</c> first.</returns>
    /// <exception cref="FormatException">A URI is not a broker address (the validator reports it with its path).</exception>
    public static ServerAddress[] Parse(MqttClientSettings client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var servers = new List<ServerAddress> { ServerAddress.Parse(client.Server) };
        foreach (var uri in client.Servers ?? [])
        {
            var address = ServerAddress.Parse(uri);
            if (!servers.Contains(address))
            {
                servers.Add(address);
            }
        }

        return [.. servers];
    }

    /// <summary>
    /// Gets the TLS credentials for <paramref name="server"/>: <c>client.tlsConfig.serverName</c> names the
    /// certificate of the hosts of <c>client.server</c>; a server of the list with another host must present a
    /// certificate for its own host.
    /// </summary>
    /// <param name="credentials">The resolved credentials.</param>
    /// <param name="primary">The address of <c>client.server</c>.</param>
    /// <param name="server">The server of this attempt.</param>
    /// <returns>The credentials to connect to <paramref name="server"/> with.</returns>
    public static MqttCredentials ForServer(MqttCredentials credentials, ServerAddress primary, ServerAddress server) =>
        credentials.ServerName is not null && !string.Equals(primary.Host, server.Host, StringComparison.OrdinalIgnoreCase)
            ? credentials with { ServerName = null }
            : credentials;
}
