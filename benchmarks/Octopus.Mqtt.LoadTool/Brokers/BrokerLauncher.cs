namespace Octopus.Mqtt.LoadTool.Brokers;

/// <summary>Picks the broker of a run: the one named, else mosquitto when installed, else an in-process MQTTnet broker.</summary>
internal static class BrokerLauncher
{
    public static async Task<ILoadBroker> StartAsync(Uri? server)
    {
        if (server is not null)
        {
            return new ExternalBroker(server);
        }

        return MosquittoBroker.IsInstalled
            ? await MosquittoBroker.StartAsync()
            : await InProcessBroker.StartAsync();
    }
}
