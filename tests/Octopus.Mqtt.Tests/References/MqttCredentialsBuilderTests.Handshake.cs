using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Octopus.Mqtt.Tests.Shared;
using static Octopus.Mqtt.Tests.References.TestCertificates;

namespace Octopus.Mqtt.Tests.References;

public sealed partial class MqttCredentialsBuilderTests
{
    [Theory]
    [InlineData("RSA", "RSA PRIVATE KEY")]
    [InlineData("RSA", "PRIVATE KEY")]
    [InlineData("EC", "EC PRIVATE KEY")]
    [InlineData("EC", "PRIVATE KEY")]
    public async Task BuildAsync_Result_AuthenticatesBothSidesOfARealTlsHandshake(string algorithm, string label)
    {
        var client = ClientWith(KindOf(algorithm));
        var credentials = await BuildAsync(Client(tls: new MqttTlsSettings
        {
            CaFilePEM = TestPki.CertificatePem(Root),
            CertFilePEM = Pem(TestPki.CertificatePem(client), TestPki.CertificatePem(Intermediate)),
            KeyFilePEM = label == "PRIVATE KEY" ? TestPki.Pkcs8KeyPem(client) : TestPki.TraditionalKeyPem(client),
            ServerName = "localhost",
        }));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string? clientSeenByServer = null;

        var server = Task.Run(
            async () =>
            {
                using var accepted = await listener.AcceptTcpClientAsync(deadline.Token);
                await using var tls = new SslStream(accepted.GetStream());
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = SslStreamCertificateContext.Create(Server, [Intermediate], offline: true),
                        ClientCertificateRequired = true,
                        AllowTlsResume = false,
                        CertificateChainPolicy = TrustOnly([Root]),
                        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                        {
                            clientSeenByServer = certificate?.GetCertHashString();
                            return errors == SslPolicyErrors.None;
                        },
                    },
                    deadline.Token);
                await tls.WriteAsync(new byte[] { 42 }, deadline.Token);
            },
            deadline.Token);

        using var connection = new TcpClient();
        await connection.ConnectAsync((IPEndPoint)listener.LocalEndpoint, deadline.Token);
        await using var clientTls = new SslStream(connection.GetStream());
        await clientTls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = credentials.ServerName,
                AllowTlsResume = false, // each case must present its own client certificate, not resume the last session
                ClientCertificateContext = SslStreamCertificateContext.Create(credentials.ClientCertificate!, credentials.ClientCertificateChain, offline: true),
                CertificateChainPolicy = TrustOnly(credentials.CaCertificates!),
            },
            deadline.Token);
        var received = new byte[1];
        await clientTls.ReadExactlyAsync(received, deadline.Token);
        await server;

        received.Should().Equal(42);
        clientSeenByServer.Should().Be(client.Thumbprint);
    }

    private static X509ChainPolicy TrustOnly(X509Certificate2Collection roots)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }
}
