using System.Net;
using System.Net.Sockets;

namespace Verdicts.Tests.Infrastructure;

/// <summary>A loopback port free when asked (the system's choice); whoever binds it next gets it.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
