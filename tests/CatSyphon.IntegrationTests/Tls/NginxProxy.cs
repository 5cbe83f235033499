using System.Net;
using System.Net.Sockets;

namespace CatSyphon.IntegrationTests.Tls;

/// <summary>
/// Debian's nginx running the recipe <c>deploy/nginx/catsyphon.conf</c> as it is committed, with only the lines it
/// marks CHANGE filled in (addresses, ports, certificate files), in front of a running stack.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";

    private readonly ServerProcess server;

    private NginxProxy(ServerProcess server, int httpsPort, int httpPort)
    {
        this.server = server;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
    }

    public int HttpsPort { get; }

    public int HttpPort { get; }

    public string ErrorLog => File.ReadAllText(Path.Combine(server.Folder.FullName, "error.log"));

    /// <summary>The recipe with its CHANGE lines filled in; each must still be in the file, or the test says which is gone.</summary>
    public static string Recipe(Uri api, Uri web, int httpsPort, int httpPort, TestCertificateAuthority certificates)
    {
        var recipe = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "nginx", "catsyphon.conf"));
        (string Committed, string Here)[] changes =
        [
            ("server 127.0.0.1:8000;", $"server 127.0.0.1:{api.Port};"),
            ("server 127.0.0.1:8080;", $"server 127.0.0.1:{web.Port};"),
            ("listen 80;", $"listen 127.0.0.1:{httpPort};"),
            ("listen 443 ssl http2;", $"listen 127.0.0.1:{httpsPort} ssl http2;"),
            ("/etc/ssl/catsyphon/fullchain.pem", certificates.ServerCertificateFile),
            ("/etc/ssl/catsyphon/privkey.pem", certificates.ServerKeyFile),
        ];
        foreach (var (committed, here) in changes)
        {
            Assert.True(recipe.Contains(committed, StringComparison.Ordinal), $"deploy/nginx/catsyphon.conf no longer has '{committed}'.");
            recipe = recipe.Replace(committed, here, StringComparison.Ordinal);
        }

        return recipe;
    }

    public static async Task<NginxProxy> StartAsync(Uri api, Uri web, TestCertificateAuthority certificates, int httpsPort)
    {
        Assert.True(File.Exists(NginxPath), $"{NginxPath} is missing: scripts/prerequisites.sh installs it (apt-get install -y nginx).");
        // Its workers run as an unprivileged user and keep request bodies in temporary files here.
        var directory = ServerProcess.CreateSharedFolder("catsyphon-nginx-");
        var httpPort = ServerProcess.FreePort();
        var root = directory.FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "catsyphon.conf"), Recipe(api, web, httpsPort, httpPort, certificates));
        await File.WriteAllTextAsync(Path.Combine(root, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{root}}/nginx.pid;
            events { worker_connections 512; }
            http {
                access_log {{root}}/access.log;
                client_body_temp_path {{root}}/client_body;
                proxy_temp_path {{root}}/proxy;
                fastcgi_temp_path {{root}}/fastcgi;
                uwsgi_temp_path {{root}}/uwsgi;
                scgi_temp_path {{root}}/scgi;
                include {{root}}/catsyphon.conf;
            }
            """);
        var startInfo = new ProcessStartInfo(NginxPath)
        {
            ArgumentList = { "-p", root, "-c", Path.Combine(root, "nginx.conf"), "-e", Path.Combine(root, "error.log"), "-g", "daemon off;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(startInfo)!;
        var proxy = new NginxProxy(new ServerProcess(process, directory), httpsPort, httpPort);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(process.HasExited || Accepts(httpsPort)), TimeSpan.FromSeconds(20), "nginx to listen");
            Assert.False(process.HasExited, $"nginx exited with {(process.HasExited ? process.ExitCode : 0)}: {proxy.ErrorLog}");
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
