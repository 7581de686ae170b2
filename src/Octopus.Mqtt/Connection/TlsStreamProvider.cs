using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace Octopus.Mqtt;

/// <summary>
/// TLS over TCP made by the library instead of MQTTnet, used when the client certificate comes with intermediates.
/// MQTTnet gives <see cref="SslStream"/> a plain certificate collection, from which .NET sends the leaf alone (it looks
/// for intermediates in the machine's certificate stores, not in the collection), so a broker that trusts only the
/// root refuses the handshake. Here the handshake gets a <see cref="SslStreamCertificateContext"/> built with the
/// intermediates that followed the certificate in <c>certFilePEM</c>; the broker's certificate is checked by the same
/// <see cref="ServerCertificateValidator"/> as on MQTTnet's own TLS path.
/// </summary>
internal sealed class TlsStreamProvider : IMqttClientStreamProvider
{
    private readonly ServerCertificateValidator _validator;
    private readonly SslStreamCertificateContext _clientCertificate;

    /// <summary>Initializes a new instance of the <see cref="TlsStreamProvider"/> class.</summary>
    /// <param name="validator">Checks the broker's certificate and names the TLS target host.</param>
    /// <param name="clientCertificate">The client certificate, with its private key.</param>
    /// <param name="chain">The intermediates to send after it.</param>
    public TlsStreamProvider(ServerCertificateValidator validator, X509Certificate2 clientCertificate, X509Certificate2Collection chain)
    {
        _validator = validator;
        _clientCertificate = SslStreamCertificateContext.Create(clientCertificate, chain, offline: true);
    }

    /// <summary>Connects to the broker and completes the TLS handshake.</summary>
    /// <param name="brokerEndPoint">The broker's address.</param>
    /// <param name="cancellationToken">Cancels the connect and the handshake.</param>
    /// <returns>The encrypted stream; MQTTnet must not add TLS of its own.</returns>
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = await SocketStreamProvider.ConnectSocketAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
        SslStream? tls = null;
        try
        {
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = _validator.ExpectedName,
                ClientCertificateContext = _clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => _validator.Validate(certificate, chain, errors),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            if (tls is null)
            {
                socket.Dispose();
            }
            else
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
