namespace Octopus.Mqtt.Tests.References;

public sealed partial class MqttCredentialsBuilderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static MqttClientSettings Client(MqttBasicAuthSettings? basicAuth = null, MqttTlsSettings? tls = null) =>
        new() { Server = "ssl://broker.example:8883", BasicAuth = basicAuth, TlsConfig = tls };

    private static DeviceLinkReference Ref(string name, string item) => new() { Name = name, Item = item };

    private static ValueTask<MqttCredentials> BuildAsync(MqttClientSettings client, IReferenceResolver? references = null) =>
        MqttCredentialsBuilder.BuildAsync(client, references, Token);

    private static async Task<MqttCredentialsException> FailureAsync(MqttClientSettings client, IReferenceResolver? references = null)
    {
        var thrown = await FluentActions.Awaiting(async () => await BuildAsync(client, references)).Should().ThrowAsync<MqttCredentialsException>();
        return thrown.Which;
    }

    /// <summary>Counts the lookups, to prove a reference was or was not read.</summary>
    private sealed class CountingResolver(IReferenceResolver inner) : IReferenceResolver
    {
        public int Calls { get; private set; }

        public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default)
        {
            Calls++;
            return inner.ResolveAsync(name, item, cancellationToken);
        }
    }

    private sealed class ThrowingResolver(Exception exception) : IReferenceResolver
    {
        public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<byte[]?>(exception);
    }
}
