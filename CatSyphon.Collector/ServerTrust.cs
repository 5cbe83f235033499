using System.Net.Http;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CatSyphon.Collector;

/// <summary>
/// Which server certificates the collector believes. By default the system's trusted roots, which .NET on Linux
/// extends with the usual <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>. With a CA file (<c>--ca-cert</c>,
/// <c>CATSYPHON_CA_CERT</c>) only the certificates in that file are roots, as with <c>curl --cacert</c>: the
/// organization's own CA for a server inside the company.
/// </summary>
internal static class ServerTrust
{
    public const string CaCertVariable = "CATSYPHON_CA_CERT";

    public static HttpMessageHandler CreateHandler(string? caCertFile)
    {
        var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (caCertFile is not null)
        {
            // Revocation stays unchecked, as HttpClient's default does: an organization's CA rarely publishes a CRL.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(LoadRoots(caCertFile));
            sockets.SslOptions.CertificateChainPolicy = policy;
        }

        return new UntrustedCertificateHandler(caCertFile) { InnerHandler = sockets };
    }

    /// <summary>The certificates of a PEM file (one CA or a bundle), or a clear error naming the file.</summary>
    public static X509Certificate2Collection LoadRoots(string caCertFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caCertFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CollectorException($"The CA certificate file '{caCertFile}' cannot be read: {exception.Message}");
        }

        return roots.Count > 0
            ? roots
            : throw new CollectorException($"The CA certificate file '{caCertFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }

    /// <summary>
    /// Turns a refused server certificate into an error that says what to do. It stops the command (exit code 2)
    /// rather than being retried: waiting does not make a certificate trusted.
    /// </summary>
    private sealed class UntrustedCertificateHandler(string? caCertFile) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception) when (exception.InnerException is AuthenticationException refusal)
            {
                var advice = caCertFile is null
                    ? "If your organization signs it with its own CA, give that CA's PEM file with 'catsyphon register --ca-cert FILE' (or CATSYPHON_CA_CERT, or SSL_CERT_FILE)."
                    : $"It is not signed by the CA in '{caCertFile}', or it does not name {request.RequestUri?.Host}.";
                throw new CollectorException($"The server's TLS certificate is not trusted: {refusal.Message.TrimEnd('.')}. {advice}", exitCode: 2);
            }
        }
    }
}
