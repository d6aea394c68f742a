using System;

namespace KmsTools.Infrastructure
{
    /// <summary>SIGTERM (a service manager, docker stop, kill) as a request to stop cleanly, where the runtime offers it.</summary>
    internal static class TerminationSignal
    {
        public static IDisposable OnSigterm(Action stop)
        {
#if NETFRAMEWORK
            // Windows PowerShell: services stop through Ctrl+C or the console closing; there is no SIGTERM.
            return new Nothing();
#else
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                // Not the default (end the process at once): the server answers what is in progress, then the command returns.
                context.Cancel = true;
                stop();
            });
#endif
        }

#if NETFRAMEWORK
        private sealed class Nothing : IDisposable
        {
            public void Dispose() { }
        }
#endif
    }
}
