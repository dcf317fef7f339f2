using System.Net;
using System.Net.Sockets;

namespace MlFunctions.Testing;

/// <summary>A port on 127.0.0.1 that is free now, for a server started in another process.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
