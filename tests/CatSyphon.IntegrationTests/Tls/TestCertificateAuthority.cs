using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CatSyphon.IntegrationTests.Tls;

/// <summary>
/// An organization's own CA, made by the test, and a server certificate it signs for <see cref="Hosts"/>: PEM files
/// (for nginx and Kestrel), a password-protected PFX of the same certificate (for Kestrel), and the CA as PEM (for
/// the collector). Nothing on the machine trusts the CA.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    /// <summary>The names the server certificate is valid for.</summary>
    public static readonly string[] Hosts = ["localhost", "catsyphon.test"];

    private readonly DirectoryInfo directory;

    private TestCertificateAuthority(DirectoryInfo directory, X509Certificate2 server, string pfxPassword)
    {
        this.directory = directory;
        PfxPassword = pfxPassword;
        // What chromium is told to accept (--ignore-certificate-errors-spki-list): this certificate's key, nothing else.
        ServerKeyPin = Convert.ToBase64String(SHA256.HashData(server.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    public string CaCertificateFile => Path.Combine(directory.FullName, "ca.pem");

    public string ServerCertificateFile => Path.Combine(directory.FullName, "server.pem");

    public string ServerKeyFile => Path.Combine(directory.FullName, "server.key");

    public string ServerPfxFile => Path.Combine(directory.FullName, "server.pfx");

    public string PfxPassword { get; }

    public string ServerKeyPin { get; }

    public static TestCertificateAuthority Create()
    {
        var directory = Directory.CreateTempSubdirectory("catsyphon-tls-");
        // nginx's workers and PostgreSQL's user are not root: the folder must be readable by them.
        File.SetUnixFileMode(directory.FullName, (UnixFileMode)0b111_101_101);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=CatSyphon Test Organization CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=catsyphon.test", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in Hosts)
        {
            names.AddDnsName(host);
        }

        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var signed = serverRequest.Create(ca, now, now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        using var server = signed.CopyWithPrivateKey(serverKey);

        var password = Guid.NewGuid().ToString("N");
        var authority = new TestCertificateAuthority(directory, server, password);
        File.WriteAllText(authority.CaCertificateFile, ca.ExportCertificatePem());
        File.WriteAllText(authority.ServerCertificateFile, server.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        File.WriteAllText(authority.ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(authority.ServerPfxFile, server.Export(X509ContentType.Pfx, password));
        foreach (var file in directory.GetFiles())
        {
            File.SetUnixFileMode(file.FullName, (UnixFileMode)0b110_100_100);
        }

        return authority;
    }

    /// <summary>An HTTP handler that trusts this CA (and only it), as a collector given <c>--ca-cert</c> does.</summary>
    public SocketsHttpHandler TrustingHandler()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.ImportFromPemFile(CaCertificateFile);
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        handler.SslOptions.CertificateChainPolicy = policy;
        return handler;
    }

    public void Dispose() => directory.Delete(recursive: true);
}
