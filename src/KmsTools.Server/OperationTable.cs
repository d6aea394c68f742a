using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;

namespace KmsTools.Server
{
    /// <summary>
    /// The KMS operations the engine implements, found on <see cref="IKmsBackend"/> itself (one method per operation,
    /// named as in the API model, taking its request type), so an operation added to the engine is served with no
    /// plumbing here.
    /// </summary>
    internal static class OperationTable
    {
        private static readonly Dictionary<string, MethodInfo> Methods = typeof(IKmsBackend).GetMethods()
            .Where(m => m.GetParameters().Length == 2 && m.GetParameters()[1].ParameterType == typeof(CancellationToken)
                        && m.GetParameters()[0].ParameterType.Name == m.Name + "Request")
            .ToDictionary(m => m.Name, StringComparer.Ordinal);

        public static bool TryGet(string operation, out Type requestType)
        {
            requestType = Methods.TryGetValue(operation, out MethodInfo method) ? method.GetParameters()[0].ParameterType : null;
            return requestType != null;
        }

        public static object Invoke(IKmsBackend backend, string operation, object request, CancellationToken cancellationToken)
        {
            try
            {
                return Methods[operation].Invoke(backend, new[] { request, cancellationToken });
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
