using System.Security.Cryptography.X509Certificates;
using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.IntegrationTests.Engine;
using Octopus.Mqtt.IntegrationTests.Publishing;
using Octopus.Mqtt.Tests.Shared;

namespace Octopus.Mqtt.IntegrationTests.Interop;

/// <summary>
/// The device client against mosquitto's TLS listener (ssl://) requiring a client certificate. mosquitto takes the
/// certificate's common name as the username (<c>use_identity_as_username</c>), so its log shows which certificate
/// the handshake presented.
/// </summary>
public sealed class MosquittoTlsTests
{
    private const int InsecureSkipVerifyEventId = 1300;
    private const int ConnectingEventId = 1000;

    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    /// <summary>A client certificate issued by an intermediate CA, whose root alone the broker trusts.</summary>
    private static readonly (X509Certificate2 Root, X509Certificate2 Intermediate, X509Certificate2 Leaf) Chain = IssueChain();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectAsync_PemLiteralsWithRequiredClientCertificate_PublishesAsTheCertificatesIdentity()
    {
        await using var broker = await StartBrokerAsync(Certificates.Ca);
        await using var devices = new DeviceClientBuilder(broker.TlsServer);
        devices.Options.Client.TlsConfig = new MqttTlsSettings
        {
            CaFilePEM = TestPki.CertificatePem(Certificates.Ca),
            CertFilePEM = TestPki.CertificatePem(Certificates.Client),
            KeyFilePEM = TestPki.Pkcs8KeyPem(Certificates.Client),
        };

        await PublishOverTlsAsync(broker, devices, "u'octopus-test-client'");
    }

    [Fact]
    public async Task ConnectAsync_PemRefsFromInMemoryResolver_PublishesAsTheCertificatesIdentity()
    {
        await using var broker = await StartBrokerAsync(Certificates.Ca);
        await using var devices = new DeviceClientBuilder(broker.TlsServer)
        {
            References = new InMemoryReferenceResolver
            {
                { "mqtt-ca", "ca.crt", TestPki.CertificatePem(Certificates.Ca) },
                { "mqtt-client", "tls.crt", TestPki.CertificatePem(Certificates.Client) },
                { "mqtt-client", "tls.key", TestPki.TraditionalKeyPem(Certificates.Client) },
            },
        };
        devices.Options.Client.TlsConfig = new MqttTlsSettings
        {
            CaFilePEMRef = new DeviceLinkReference { Name = "mqtt-ca", Item = "ca.crt" },
            CertFilePEMRef = new DeviceLinkReference { Name = "mqtt-client", Item = "tls.crt" },
            KeyFilePEMRef = new DeviceLinkReference { Name = "mqtt-client", Item = "tls.key" },
        };

        await PublishOverTlsAsync(broker, devices, "u'octopus-test-client'");
    }

    [Fact]
    public async Task ConnectAsync_ClientCertificateFromAnIntermediate_SendsTheChainAndIsAccepted()
    {
        await using var broker = await StartBrokerAsync(Chain.Root);
        await using var devices = new DeviceClientBuilder(broker.TlsServer);
        devices.Options.Client.TlsConfig = ChainTls(Certificates.Ca, withIntermediate: true);

        await PublishOverTlsAsync(broker, devices, "u'octopus-chain-client'");
    }

    [Fact]
    public async Task ConnectAsync_ClientCertificateChainAndBrokerFromAnotherCa_FailsNamingTheCaBundle()
    {
        await using var broker = await StartBrokerAsync(Chain.Root);
        await using var devices = new DeviceClientBuilder(broker.TlsServer);
        devices.Options.Client.TlsConfig = ChainTls(Certificates.OtherCa, withIntermediate: true);
        var client = devices.Build();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.MessageChain().Should().Contain(
            "AuthenticationException: TLS: the broker's certificate \"CN=localhost\" is not issued by a CA in client.tlsConfig.caFilePEM (its chain ends at \"CN=Octopus Test CA\")");
    }

    [Fact]
    public async Task ConnectAsync_ClientCertificateWithoutItsIntermediate_IsRefusedByTheBroker()
    {
        await using var broker = await StartBrokerAsync(Chain.Root);
        await using var devices = new DeviceClientBuilder(broker.TlsServer);
        devices.Options.Client.TlsConfig = ChainTls(Certificates.Ca, withIntermediate: false);
        var client = devices.Build();

        var failure = await FluentActions.Awaiting(() => client.ConnectAsync(Token)).Should().ThrowAsync<MqttDeviceClientException>();

        failure.Which.Message.Should().StartWith($"Connecting to the MQTT broker as {devices.ClientId} failed: ");
        await broker.WaitForLogAsync("certificate verify failed");
    }

    [Fact]
    public async Task ConnectAsync_InsecureSkipVerify_LogsItsWarningOncePerConnection()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions() }, Token);
        await using var proxy = new TcpProxy(broker.TlsPort);
        await using var devices = new DeviceClientBuilder($"ssl://127.0.0.1:{proxy.Port}");
        devices.Options.Client.TlsConfig = new MqttTlsSettings { InsecureSkipVerify = true };
        var client = await devices.ConnectAsync();
        devices.LogCount(InsecureSkipVerifyEventId).Should().Be(1);

        proxy.CutAll();
        await devices.WaitForStateAsync(MqttConnectionState.Connected, 2);

        devices.LogCount(InsecureSkipVerifyEventId).Should().Be(2);
        devices.LogCount(ConnectingEventId).Should().Be(2);
        devices.Logs.GetSnapshot().First(r => r.Id.Id == InsecureSkipVerifyEventId).Message.Should().Be(
            $"client.tlsConfig.insecureSkipVerify is true: {devices.ClientId} accepts any certificate from the broker, so the connection can be intercepted.");
        (await client.PublishAsync("still secret", Token)).Should().BeSameAs(MqttPublishResult.Delivered);
    }

    private static (X509Certificate2, X509Certificate2, X509Certificate2) IssueChain()
    {
        var root = TestPki.CreateRoot("Octopus Chain Root", TestKeyKind.Ecdsa);
        var intermediate = TestPki.IssueIntermediate(root, "Octopus Chain Intermediate", TestKeyKind.Ecdsa);
        return (root, intermediate, TestPki.IssueClient(intermediate, "octopus-chain-client", TestKeyKind.Ecdsa));
    }

    private static MqttTlsSettings ChainTls(X509Certificate2 brokerCa, bool withIntermediate) => new()
    {
        CaFilePEM = TestPki.CertificatePem(brokerCa),
        CertFilePEM = TestPki.CertificatePem(Chain.Leaf) + (withIntermediate ? "\n" + TestPki.CertificatePem(Chain.Intermediate) : string.Empty),
        KeyFilePEM = TestPki.Pkcs8KeyPem(Chain.Leaf),
    };

    private static Task<MosquittoBroker> StartBrokerAsync(X509Certificate2 clientCa) =>
        MosquittoBroker.StartAsync(
            new MosquittoOptions
            {
                Tls = new MosquittoTlsOptions { ClientCa = clientCa, RequireClientCertificate = true },
                ExtraConfiguration = ["use_identity_as_username true"],
            },
            Token);

    private static async Task PublishOverTlsAsync(MosquittoBroker broker, DeviceClientBuilder devices, string identity)
    {
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, devices.Topic);
        var client = await devices.ConnectAsync();

        (await client.PublishAsync("over TLS", Token)).Should().BeSameAs(MqttPublishResult.Delivered);

        (await subscriber.Messages.WaitForTopicAsync(devices.Topic)).PayloadText.Should().Be("\"over TLS\"");
        await broker.WaitForLogAsync($"as {devices.ClientId} (p2, c1, k30, {identity})");
    }
}
