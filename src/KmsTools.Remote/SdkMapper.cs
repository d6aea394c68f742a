using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Amazon.Runtime;

namespace KmsTools.Remote
{
    /// <summary>
    /// Copies between this module's model and the AWS SDK's, member by member: both follow the KMS API model's
    /// member names, so one mapper serves every operation. It converts what differs in representation only:
    /// byte[] and MemoryStream, string and the SDK's ConstantClass enums, lists and maps of either.
    /// </summary>
    internal static class SdkMapper
    {
        private static readonly ConcurrentDictionary<(Type, Type), (PropertyInfo From, PropertyInfo To)[]> Plans =
            new ConcurrentDictionary<(Type, Type), (PropertyInfo, PropertyInfo)[]>();

        public static T Map<T>(object source) where T : new() => (T)Convert(source, typeof(T));

        private static object Convert(object value, Type target)
        {
            if (value == null) return null;
            Type underlying = Nullable.GetUnderlyingType(target) ?? target;
            Type sourceType = value.GetType();
            if (underlying.IsAssignableFrom(sourceType) && !(value is IList) && !(value is IDictionary)) return value;

            switch (value)
            {
                case MemoryStream stream when underlying == typeof(byte[]):
                    return stream.ToArray();
                case byte[] bytes when underlying == typeof(MemoryStream):
                    return new MemoryStream(bytes, writable: false);
                case ConstantClass constant when underlying == typeof(string):
                    return constant.Value;
                case string text when typeof(ConstantClass).IsAssignableFrom(underlying):
                    return underlying.GetMethod("FindValue", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null)
                        .Invoke(null, new object[] { text });
                case IDictionary dictionary when underlying.IsGenericType:
                    var map = (IDictionary)Activator.CreateInstance(underlying);
                    Type valueType = underlying.GetGenericArguments()[1];
                    foreach (DictionaryEntry entry in dictionary) map[entry.Key] = Convert(entry.Value, valueType);
                    return map;
                case IList list when underlying.IsGenericType:
                    var copy = (IList)Activator.CreateInstance(underlying);
                    Type itemType = underlying.GetGenericArguments()[0];
                    foreach (object item in list) copy.Add(Convert(item, itemType));
                    return copy;
            }
            if (underlying.IsPrimitive || underlying == typeof(DateTime))
                return System.Convert.ChangeType(value, underlying, System.Globalization.CultureInfo.InvariantCulture);
            if (underlying.IsClass && underlying.GetConstructor(Type.EmptyTypes) != null)
            {
                object result = Activator.CreateInstance(underlying);
                foreach (var (from, to) in PlanFor(sourceType, underlying))
                {
                    object member = from.GetValue(value);
                    if (member != null) to.SetValue(result, Convert(member, to.PropertyType));
                }
                return result;
            }
            throw new InvalidOperationException($"Cannot map {sourceType.Name} to {target.Name}.");
        }

        private static (PropertyInfo From, PropertyInfo To)[] PlanFor(Type source, Type target) =>
            Plans.GetOrAdd((source, target), key =>
            {
                var targets = key.Item2.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.Ordinal);
                return key.Item1.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && targets.ContainsKey(p.Name))
                    .Select(p => (p, targets[p.Name]))
                    .ToArray();
            });
    }
}
