import { cpuMillis, formatCpu, formatMemory, isCpuQuantity, isMemoryQuantity, memoryBytes } from '../../tenants/quantity';

describe('quantities', () => {
  test.each([
    ['250m', 250n],
    ['0.5', 500n],
    ['.25', 250n],
    ['2', 2000n],
    ['1.001', 1001n],
  ])('cpu %s = %d millicores', (q, m) => expect(cpuMillis(q)).toBe(m));

  test.each([
    ['128Mi', 134217728n],
    ['1Gi', 1073741824n],
    ['1G', 1000000000n],
    ['512', 512n],
    ['2k', 2000n],
  ])('memory %s = %d bytes', (q, b) => expect(memoryBytes(q)).toBe(b));

  test('refused forms', () => {
    for (const bad of ['-1', '1.5555', '100mm', '1Ki', '', 'm']) expect(isCpuQuantity(bad)).toBe(false);
    for (const bad of ['128MiBB', '-1', '128m', '1.5Gi', 'Mi', '']) expect(isMemoryQuantity(bad)).toBe(false);
    expect(() => cpuMillis('1Ki')).toThrow('not a CPU quantity: "1Ki"');
    expect(() => memoryBytes('128m')).toThrow('not a memory quantity: "128m"');
  });

  test('formatting is exact and short', () => {
    expect(formatCpu(2000n)).toBe('2');
    expect(formatCpu(1500n)).toBe('1500m');
    expect(formatMemory(134217728n * 4n)).toBe('512Mi');
    expect(formatMemory(4000000000n)).toBe('4G');
    expect(formatMemory(1000n)).toBe('1k');
    expect(formatMemory(1023n)).toBe('1023');
    expect(formatMemory(0n)).toBe('0');
  });
});
