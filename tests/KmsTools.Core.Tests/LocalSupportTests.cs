using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using KmsTools.Model;
using Xunit;

namespace KmsTools.Tests
{
    /// <summary>
    /// The request types carry every member of the API model; a member the local engine does not honour is refused
    /// by name, before any work, for every operation, and changes nothing in the store.
    /// </summary>
    public class LocalSupportTests : IDisposable
    {
        private readonly TestStore _store = new TestStore();

        public void Dispose() => _store.Dispose();

        public static IEnumerable<object[]> UnhonouredMembers()
        {
            foreach (MethodInfo method in typeof(IKmsBackend).GetMethods().Where(m => !m.IsSpecialName))
            {
                Type request = method.GetParameters()[0].ParameterType;
                string[] known = Honoured(request);
                string member = request.GetProperties().Select(p => p.Name).FirstOrDefault(n => !known.Contains(n));
                if (member != null) yield return new object[] { method.Name, member };
            }
        }

        [Theory]
        [MemberData(nameof(UnhonouredMembers))]
        public void AMemberTheEngineWouldIgnoreIsRefusedByName(string operation, string member)
        {
            KeyMetadata key = _store.NewSymmetricKey("alias/support");
            MethodInfo method = typeof(IKmsBackend).GetMethod(operation);
            Type requestType = method.GetParameters()[0].ParameterType;
            object request = Activator.CreateInstance(requestType);
            // The honoured members a valid request would have, so that only the unhonoured one can be the reason.
            foreach (PropertyInfo property in requestType.GetProperties())
                if (property.Name == "KeyId" || property.Name.EndsWith("KeyId", StringComparison.Ordinal)) property.SetValue(request, key.KeyId);
            PropertyInfo extra = requestType.GetProperty(member);
            extra.SetValue(request, SampleOf(extra.PropertyType));
            string before = Snapshot();

            var failure = Assert.Throws<TargetInvocationException>(() => method.Invoke(_store.Kms, new[] { request, (object)CancellationToken.None }));
            var error = Assert.IsType<KmsException>(failure.InnerException);

            Assert.Equal(KmsErrorCodes.Validation, error.ErrorCode);
            Assert.Equal(member, error.MemberName);
            Assert.StartsWith($"KmsTools does not support the member \"{member}\" of {operation} in the local engine", error.Message);
            Assert.Equal(before, Snapshot());
        }

        [Fact]
        public void EveryOperationOfTheBackendIsChecked() => Assert.Equal(48, typeof(IKmsBackend).GetMethods().Count(m => !m.IsSpecialName));

        private static string[] Honoured(Type request)
        {
            var table = (IDictionary)typeof(IKmsBackend).Assembly.GetType("KmsTools.Local.LocalSupport", true)
                .GetField("Honoured", BindingFlags.NonPublic | BindingFlags.Static).GetValue(null);
            return ((IEnumerable<string>)table[request]).ToArray();
        }

        private static object SampleOf(Type type)
        {
            Type underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (underlying == typeof(string)) return "x";
            if (underlying == typeof(bool)) return true;
            if (underlying == typeof(int)) return 1;
            if (underlying == typeof(DateTime)) return DateTime.UtcNow;
            if (underlying == typeof(byte[])) return new byte[] { 1 };
            object value = Activator.CreateInstance(underlying);
            if (value is IList list) list.Add(SampleOf(underlying.GetGenericArguments()[0]));
            else if (value is IDictionary map) map["x"] = "x";
            return value;
        }

        private string Snapshot() => string.Join("\n", Directory.GetFiles(_store.Home, "*", SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal).Select(f => f + " " + Convert.ToBase64String(File.ReadAllBytes(f))));
    }
}
