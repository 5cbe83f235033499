// Local mode runs the machine's PostgreSQL and Redis binaries: these tests need Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
