using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Transport;

public sealed class TlsTransportTests
{
    private static readonly TestCertificates Certificates = TestCertificates.Shared;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ssl")]
    [InlineData("tls")]
    [InlineData("tcps")]
    public async Task Connect_CaFromTestAndRequiredClientCertificate_PublishesAndReceives(string scheme)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions { RequireClientCertificate = true } }, Token);
        var topic = TestMqttClient.NewTopic();
        await using var subscriber = await MqttTestSubscriber.ConnectAsync(broker.TcpServer, topic);
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(Certificates.Ca), ClientCertificate = Certificates.Client };

        using var client = await TestMqttClient.ConnectAsync(
            TestMqttClient.Options(new MqttClientSettings { Server = $"{scheme}://127.0.0.1:{broker.TlsPort}" }, credentials),
            Token);
        await client.PublishTextAsync(topic, $"over {scheme}", cancellationToken: Token);

        (await subscriber.Messages.WaitForTopicAsync(topic)).PayloadText.Should().Be($"over {scheme}");
    }

    [Fact]
    public async Task Connect_ServerNameInCertificate_ConnectsByIpAddress()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions() }, Token);
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(Certificates.Ca), ServerName = TestCertificates.ExtraServerName };

        using var client = await TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.TlsServer }, credentials), Token);

        client.IsConnected.Should().BeTrue();
    }

    [Fact]
    public async Task Connect_BrokerCertificateFromAnotherCa_FailsNamingTheCaBundle()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions() }, Token);
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(Certificates.OtherCa) };

        var connect = () => TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.TlsServer }, credentials), Token);

        (await connect.Should().ThrowAsync<Exception>()).Which.MessageChain().Should().Contain(
            "AuthenticationException: TLS: the broker's certificate \"CN=localhost\" is not issued by a CA in client.tlsConfig.caFilePEM (its chain ends at \"CN=Octopus Test CA\")");
    }

    [Fact]
    public async Task Connect_ServerNameNotInCertificate_FailsNamingServerName()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions() }, Token);
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(Certificates.Ca), ServerName = "wrong.octopus.test" };

        var connect = () => TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.TlsServer }, credentials), Token);

        (await connect.Should().ThrowAsync<Exception>()).Which.MessageChain().Should().Contain(
            $"AuthenticationException: TLS: the broker's certificate \"CN=localhost\" is not valid for the name \"wrong.octopus.test\" (client.tlsConfig.serverName); it is valid for localhost, {TestCertificates.ExtraServerName}, 127.0.0.1");
    }

    [Fact]
    public async Task Connect_InsecureSkipVerify_ConnectsToCertificateFromAnotherCa()
    {
        var tls = new MosquittoTlsOptions { ServerCertificate = Certificates.OtherServer };
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = tls }, Token);
        var credentials = MqttCredentials.None with
        {
            CaCertificates = TestCertificates.Bundle(Certificates.Ca),
            ServerName = "not-in-the-certificate.test",
            InsecureSkipVerify = true,
        };

        using var client = await TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.TlsServer }, credentials), Token);

        client.IsConnected.Should().BeTrue();
    }

    [Fact]
    public async Task Connect_NoClientCertificateWhenRequired_IsRefused()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = new MosquittoTlsOptions { RequireClientCertificate = true } }, Token);
        var credentials = MqttCredentials.None with { CaCertificates = TestCertificates.Bundle(Certificates.Ca) };

        var connect = () => TestMqttClient.ConnectAsync(TestMqttClient.Options(new MqttClientSettings { Server = broker.TlsServer }, credentials), Token);

        await connect.Should().ThrowAsync<Exception>();
        // mosquitto words the refusal either as an OpenSSL error or as the handshake's failure.
        await broker.WaitForLogAsync(line =>
            line.Contains("OpenSSL Error", StringComparison.Ordinal)
            || line.Contains("peer did not return a certificate", StringComparison.Ordinal));
    }
}
