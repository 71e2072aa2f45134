// Native kernels: SciPy's compiled scalar special-function kernels applied elementwise
// inside XLA programs (CPU), through one XLA FFI handler.
//
// Programs name their kernel with a string attribute ("kv:rdd>d"); the process maps names
// to function pointers in a registry filled once at import (from Python, with the
// pointers of `scipy.special.cython_special`'s capsules), so no address is ever written
// into a program. Each kernel has a C signature given by a code:
//   kind  'r'  R f(A..., int skip_dispatch)            (a cpdef function)
//         'o'  R f(A..., int skip_dispatch, void *opt)  (one with optional arguments: NULL)
//         'p'  void f(A..., O *out1, O *out2, ...)     (several outputs through pointers)
//   then the argument types and, after '>', the output types:
//   d double, f float, D complex double, l long (also Py_ssize_t where the two are one).
//         'u'  a NumPy ufunc's inner loop, void loop(char **args, npy_intp const *n,
//              npy_intp const *steps, void *data), with the ufunc's type characters
//              (d f D F l i q): private ufuncs SciPy exports no scalar kernel for (the
//              noncentral densities, `_smirnovp`), called on chunks exactly as NumPy calls it.
// One template family (kind x argument types x output types) implements every signature
// in the table below; buffers of any supported element type are converted to the kernel's
// types in chunks (as SciPy's own loops cast), and arguments with one element broadcast.

#include <algorithm>
#include <array>
#include <cfenv>
#include <atomic>
#include <complex>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "xla/ffi/api/ffi.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

namespace ffi = xla::ffi;

namespace {

using cdouble = std::complex<double>;
using cfloat = std::complex<float>;

constexpr int64_t kChunk = 128;       // elements converted and evaluated at a time
constexpr int64_t kMinBlock = 4096;   // elements per thread, at least

template <class T> constexpr char code_of();
template <> constexpr char code_of<double>() { return 'd'; }
template <> constexpr char code_of<float>() { return 'f'; }
template <> constexpr char code_of<cdouble>() { return 'D'; }
template <> constexpr char code_of<long>() { return 'l'; }
template <> constexpr char code_of<cfloat>() { return 'F'; }

template <std::size_t, class T>
using Same = T;

template <class T> struct is_complex : std::false_type {};
template <class T> struct is_complex<std::complex<T>> : std::true_type {};

template <class To, class From>
inline To convert(From x) {
  if constexpr (is_complex<To>::value == is_complex<From>::value) {
    return static_cast<To>(x);
  } else if constexpr (is_complex<To>::value) {
    return To(static_cast<typename To::value_type>(x), 0);
  } else {
    return static_cast<To>(x.real());  // not chosen by the Python side
  }
}

// XLA runs its CPU threads with subnormals flushed to zero; SciPy's loops do not. Kept
// while a kernel runs, so that values (tiny ones included) are SciPy's.
class SubnormalsKept {
 public:
#if defined(__x86_64__) || defined(_M_X64)
  SubnormalsKept() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ & ~0x8040u); }  // FTZ, DAZ
  ~SubnormalsKept() { _mm_setcsr(saved_); }

 private:
  unsigned int saved_;
#elif defined(__aarch64__)
  SubnormalsKept() {
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(saved_));
    uint64_t kept = saved_ & ~(uint64_t{1} << 24);  // FZ
    __asm__ __volatile__("msr fpcr, %0" : : "r"(kept));
  }
  ~SubnormalsKept() { __asm__ __volatile__("msr fpcr, %0" : : "r"(saved_)); }

 private:
  uint64_t saved_;
#else
  SubnormalsKept() {}
#endif
};

struct In {
  const void* data;
  ffi::DataType type;
  bool scalar;
};

struct Out {
  void* data;
  ffi::DataType type;
};

template <class T, class B>
inline void load_as(const B* src, bool scalar, int64_t start, int64_t n, T* dst) {
  if (scalar) {
    std::fill(dst, dst + n, convert<T>(src[0]));
  } else {
    for (int64_t i = 0; i < n; ++i) dst[i] = convert<T>(src[start + i]);
  }
}

template <class T>
inline void load(const In& a, int64_t start, int64_t n, T* dst) {
  switch (a.type) {
    case ffi::DataType::F64: load_as(static_cast<const double*>(a.data), a.scalar, start, n, dst); break;
    case ffi::DataType::F32: load_as(static_cast<const float*>(a.data), a.scalar, start, n, dst); break;
    case ffi::DataType::C128: load_as(static_cast<const cdouble*>(a.data), a.scalar, start, n, dst); break;
    case ffi::DataType::C64: load_as(static_cast<const cfloat*>(a.data), a.scalar, start, n, dst); break;
    case ffi::DataType::S64: load_as(static_cast<const int64_t*>(a.data), a.scalar, start, n, dst); break;
    case ffi::DataType::S32: load_as(static_cast<const int32_t*>(a.data), a.scalar, start, n, dst); break;
    default: break;  // rejected before evaluation
  }
}

template <class B, class T>
inline void store_as(B* dst, int64_t start, int64_t n, const T* src) {
  for (int64_t i = 0; i < n; ++i) dst[start + i] = convert<B>(src[i]);
}

template <class T>
inline void store(const Out& o, int64_t start, int64_t n, const T* src) {
  switch (o.type) {
    case ffi::DataType::F64: store_as(static_cast<double*>(o.data), start, n, src); break;
    case ffi::DataType::F32: store_as(static_cast<float*>(o.data), start, n, src); break;
    case ffi::DataType::C128: store_as(static_cast<cdouble*>(o.data), start, n, src); break;
    case ffi::DataType::C64: store_as(static_cast<cfloat*>(o.data), start, n, src); break;
    default: break;
  }
}

struct Kernel;
using Range = void (*)(const Kernel& kernel, const In* ins, const Out* outs, int64_t begin,
                       int64_t end);

struct Kernel {
  void* fn;
  void* data;         // a ufunc loop's data pointer (NULL for scalar kernels)
  Range range;
  int nin;
  int nout;
  std::string types;  // a ufunc loop's type characters, arguments then outputs
};

// The generic loop: kernel kind K, output type O (NOut of them), argument types A...
template <char K, class O, int NOut, class... A>
struct Loop {
  template <std::size_t... I, std::size_t... J>
  static void run(void* fn, const In* ins, const Out* outs, int64_t begin, int64_t end,
                  std::index_sequence<I...>, std::index_sequence<J...>) {
    std::tuple<std::array<A, kChunk>...> args;
    std::array<std::array<O, kChunk>, NOut> res;
    for (int64_t start = begin; start < end; start += kChunk) {
      const int64_t n = std::min(kChunk, end - start);
      (load(ins[I], start, n, std::get<I>(args).data()), ...);
      for (int64_t i = 0; i < n; ++i) {
        if constexpr (K == 'r') {
          res[0][i] = reinterpret_cast<O (*)(A..., int)>(fn)(std::get<I>(args)[i]..., 0);
        } else if constexpr (K == 'o') {
          res[0][i] =
              reinterpret_cast<O (*)(A..., int, void*)>(fn)(std::get<I>(args)[i]..., 0, nullptr);
        } else {
          reinterpret_cast<void (*)(A..., Same<J, O*>...)>(fn)(
              std::get<I>(args)[i]..., &res[J][i]...);
        }
      }
      (store(outs[J], start, n, res[J].data()), ...);
    }
  }

  static void range(const Kernel& kernel, const In* ins, const Out* outs, int64_t begin,
                    int64_t end) {
    run(kernel.fn, ins, outs, begin, end, std::index_sequence_for<A...>{},
        std::make_index_sequence<NOut>{});
  }

  static std::string code() {
    std::string c(1, K);
    (c.push_back(code_of<A>()), ...);
    c.push_back('>');
    c.append(NOut, code_of<O>());
    return c;
  }
};

struct Signature {
  std::string code;
  Range range;
  int nin;
  int nout;
};

template <char K, class O, int NOut, class... A>
Signature sig() {
  using L = Loop<K, O, NOut, A...>;
  return {L::code(), &L::range, static_cast<int>(sizeof...(A)), NOut};
}

using d = double;
using f = float;
using D = cdouble;
using l = long;

// Every kernel signature SciPy's `cython_special` exports (long double ones aside).
const std::vector<Signature>& signatures() {
  static const std::vector<Signature> table = {
      sig<'r', d, 1, d>(),
      sig<'r', d, 1, d, d>(),
      sig<'r', d, 1, d, d, d>(),
      sig<'r', d, 1, d, d, d, d>(),
      sig<'r', f, 1, f>(),
      sig<'r', f, 1, f, f>(),
      sig<'r', f, 1, f, f, f>(),
      sig<'r', f, 1, f, f, f, f>(),
      sig<'r', D, 1, D>(),
      sig<'r', D, 1, D, D>(),
      sig<'r', D, 1, D, D, D>(),
      sig<'r', D, 1, D, D, D, D>(),
      sig<'r', D, 1, d, D>(),
      sig<'r', D, 1, d, d, D>(),
      sig<'r', D, 1, d, d, d, D>(),
      sig<'r', d, 1, l, d>(),
      sig<'r', D, 1, l, D>(),
      sig<'r', d, 1, l, l, d>(),
      sig<'r', d, 1, d, l, d>(),
      sig<'r', D, 1, l, d, D>(),
      sig<'r', D, 1, l, d, d, D>(),
      sig<'r', d, 1, l, d, d, d>(),
      sig<'r', d, 1, l, d, d>(),
      sig<'o', D, 1, l, D>(),
      sig<'o', d, 1, l, d>(),
      sig<'p', d, 2, d>(),
      sig<'p', d, 4, d>(),
      sig<'p', d, 2, d, d>(),
      sig<'p', d, 4, d, d>(),
      sig<'p', d, 2, d, d, d>(),
      sig<'p', d, 2, d, d, d, d>(),
      sig<'p', d, 2, d, d, d, d, d>(),
      sig<'p', D, 2, d>(),
      sig<'p', D, 4, d>(),
      sig<'p', D, 2, D>(),
      sig<'p', D, 4, D>(),
  };
  return table;
}

// A NumPy ufunc inner loop, on chunks of arguments converted to its types.
using UfuncLoop = void (*)(char** args, const std::intptr_t* dimensions,
                           const std::intptr_t* steps, void* data);

std::intptr_t item_size(char c) {
  switch (c) {
    case 'd': return sizeof(double);
    case 'f': return sizeof(float);
    case 'D': return sizeof(cdouble);
    case 'F': return sizeof(cfloat);
    case 'l': return sizeof(long);
    case 'i': return sizeof(int);
    case 'q': return sizeof(long long);
    default: return 0;
  }
}

void load_code(char c, const In& a, int64_t start, int64_t n, void* dst) {
  switch (c) {
    case 'd': load(a, start, n, static_cast<double*>(dst)); break;
    case 'f': load(a, start, n, static_cast<float*>(dst)); break;
    case 'D': load(a, start, n, static_cast<cdouble*>(dst)); break;
    case 'F': load(a, start, n, static_cast<cfloat*>(dst)); break;
    case 'l': load(a, start, n, static_cast<long*>(dst)); break;
    case 'i': load(a, start, n, static_cast<int*>(dst)); break;
    case 'q': load(a, start, n, static_cast<long long*>(dst)); break;
    default: break;
  }
}

void store_code(char c, const Out& o, int64_t start, int64_t n, const void* src) {
  switch (c) {
    case 'd': store(o, start, n, static_cast<const double*>(src)); break;
    case 'f': store(o, start, n, static_cast<const float*>(src)); break;
    case 'D': store(o, start, n, static_cast<const cdouble*>(src)); break;
    case 'F': store(o, start, n, static_cast<const cfloat*>(src)); break;
    case 'l': store(o, start, n, static_cast<const long*>(src)); break;
    case 'i': store(o, start, n, static_cast<const int*>(src)); break;
    case 'q': store(o, start, n, static_cast<const long long*>(src)); break;
    default: break;
  }
}

void ufunc_range(const Kernel& kernel, const In* ins, const Out* outs, int64_t begin,
                 int64_t end) {
  const int nargs = kernel.nin + kernel.nout;
  // Chunk buffers (16-byte slots), kept per thread: no allocation per call once warm.
  thread_local std::vector<cdouble> storage;
  thread_local std::vector<char*> base, args;
  thread_local std::vector<std::intptr_t> steps;
  storage.resize(static_cast<std::size_t>(nargs) * kChunk);
  base.resize(nargs);
  args.resize(nargs);
  steps.resize(nargs);
  for (int i = 0; i < nargs; ++i) {
    base[i] = reinterpret_cast<char*>(storage.data() + static_cast<std::size_t>(i) * kChunk);
    steps[i] = item_size(kernel.types[i]);
  }
  for (int64_t start = begin; start < end; start += kChunk) {
    const int64_t n = std::min(kChunk, end - start);
    for (int i = 0; i < kernel.nin; ++i) load_code(kernel.types[i], ins[i], start, n, base[i]);
    std::copy(base.begin(), base.end(), args.begin());
    // As NumPy does before a loop: the loop reports the floating-point exceptions it
    // raises (SciPy's `seterr`), not ones left over from XLA's code on this thread.
    std::feclearexcept(FE_ALL_EXCEPT);
    const std::intptr_t count = n;
    reinterpret_cast<UfuncLoop>(kernel.fn)(args.data(), &count, steps.data(), kernel.data);
    for (int j = 0; j < kernel.nout; ++j)
      store_code(kernel.types[kernel.nin + j], outs[j], start, n, base[kernel.nin + j]);
  }
}

// A ufunc loop's code "u<argument types>><output types>", as a kernel; false when a type
// character is not one this library converts.
bool ufunc_kernel(std::string_view code, void* fn, void* data, Kernel* kernel) {
  const auto arrow = code.find('>');
  if (code.size() < 3 || code[0] != 'u' || arrow == std::string_view::npos) return false;
  std::string types(code.substr(1, arrow - 1));
  const int nin = static_cast<int>(types.size());
  types.append(code.substr(arrow + 1));
  const int nout = static_cast<int>(types.size()) - nin;
  if (nout < 1) return false;
  for (char c : types)
    if (item_size(c) == 0) return false;
  *kernel = Kernel{fn, data, &ufunc_range, nin, nout, types};
  return true;
}

// Filled once, before the FFI target is registered with XLA, and never changed after:
// lookups need no lock.
std::unordered_map<std::string, Kernel>& registry() {
  static std::unordered_map<std::string, Kernel> map;
  return map;
}
std::atomic<bool> g_sealed{false};
int64_t g_threads = 1;

struct Work {
  const Kernel* kernel;
  std::vector<In> ins;
  std::vector<Out> outs;
  int64_t size, block, blocks;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;

  // Claims blocks until none is left. Threads that start late find nothing to do, so
  // the caller never waits on a task that has not started: no deadlock on a busy pool.
  void drain() {
    SubnormalsKept kept;
    for (int64_t b = next.fetch_add(1); b < blocks; b = next.fetch_add(1)) {
      kernel->range(*kernel, ins.data(), outs.data(), b * block,
                    std::min(size, (b + 1) * block));
      if (done.fetch_add(1) + 1 == blocks) {
        std::lock_guard<std::mutex> lock(mutex);
        finished.notify_all();
      }
    }
  }
};

bool supported_input(ffi::DataType t) {
  return t == ffi::DataType::F64 || t == ffi::DataType::F32 || t == ffi::DataType::C128 ||
         t == ffi::DataType::C64 || t == ffi::DataType::S64 || t == ffi::DataType::S32;
}

bool supported_output(ffi::DataType t) {
  return t == ffi::DataType::F64 || t == ffi::DataType::F32 || t == ffi::DataType::C128 ||
         t == ffi::DataType::C64;
}

ffi::Error Apply(ffi::ThreadPool pool, std::string_view name, ffi::RemainingArgs args,
                 ffi::RemainingRets rets) {
  // "name|c1,c2": constant trailing arguments (doubles, written exactly) after the name.
  std::vector<double> constants;
  if (const auto bar = name.find('|'); bar != std::string_view::npos) {
    std::string rest(name.substr(bar + 1));
    name = name.substr(0, bar);
    for (std::size_t at = 0; at < rest.size();) {
      std::size_t used = 0;
      try {
        constants.push_back(std::stod(rest.substr(at), &used));
      } catch (...) {
        return ffi::Error::InvalidArgument("autocallback: bad kernel constants '" + rest + "'");
      }
      at += used;
      if (at < rest.size() && rest[at] == ',') ++at;
    }
  }
  auto& map = registry();
  auto found = map.find(std::string(name));
  if (found == map.end()) {
    return ffi::Error::InvalidArgument(
        "autocallback: native kernel '" + std::string(name) +
        "' is not registered in this process (import autocallback first; a program made "
        "with another SciPy may name a kernel this one lacks)");
  }
  const Kernel& kernel = found->second;
  const int nargs = static_cast<int>(args.size());
  if (nargs + static_cast<int>(constants.size()) != kernel.nin ||
      static_cast<int>(rets.size()) != kernel.nout) {
    return ffi::Error::InvalidArgument("autocallback: wrong number of operands for kernel '" +
                                       std::string(name) + "'");
  }
  std::vector<Out> outs(kernel.nout);
  int64_t size = -1;
  for (int k = 0; k < kernel.nout; ++k) {
    auto r = rets.get<ffi::AnyBuffer>(k);
    if (!r.has_value()) return r.error();
    ffi::AnyBuffer& buf = **r;
    if (!supported_output(buf.element_type()))
      return ffi::Error::InvalidArgument("autocallback: unsupported output element type");
    if (size < 0) size = static_cast<int64_t>(buf.element_count());
    if (static_cast<int64_t>(buf.element_count()) != size)
      return ffi::Error::InvalidArgument("autocallback: outputs of different sizes");
    outs[k] = {buf.untyped_data(), buf.element_type()};
  }
  std::vector<In> ins(kernel.nin);
  for (std::size_t k = 0; k < constants.size(); ++k)
    ins[nargs + k] = {&constants[k], ffi::DataType::F64, true};
  for (int k = 0; k < nargs; ++k) {
    auto a = args.get<ffi::AnyBuffer>(k);
    if (!a.has_value()) return a.error();
    const ffi::AnyBuffer& buf = *a;
    const int64_t count = static_cast<int64_t>(buf.element_count());
    if (!supported_input(buf.element_type()))
      return ffi::Error::InvalidArgument("autocallback: unsupported argument element type");
    if (count != size && count != 1)
      return ffi::Error::InvalidArgument(
          "autocallback: arguments must have the output's size or one element");
    ins[k] = {buf.untyped_data(), buf.element_type(), count == 1};
  }
  if (size <= 0) return ffi::Error::Success();

  int64_t threads = std::min<int64_t>(g_threads, size / kMinBlock);
  if (threads > 1) threads = std::min<int64_t>(threads, pool.num_threads() + 1);
  if (threads <= 1) {
    SubnormalsKept kept;
    kernel.range(kernel, ins.data(), outs.data(), 0, size);
    return ffi::Error::Success();
  }
  auto work = std::make_shared<Work>();
  work->kernel = &kernel;
  work->ins = std::move(ins);
  work->outs = std::move(outs);
  work->size = size;
  work->blocks = threads * 4;
  work->block = (size + work->blocks - 1) / work->blocks;
  work->blocks = (size + work->block - 1) / work->block;
  for (int64_t t = 1; t < threads; ++t) pool.Schedule([work] { work->drain(); });
  work->drain();
  std::unique_lock<std::mutex> lock(work->mutex);
  work->finished.wait(lock, [&] { return work->done.load() == work->blocks; });
  return ffi::Error::Success();
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(autocallback_apply, Apply,
                              ffi::Ffi::Bind()
                                  .Ctx<ffi::ThreadPool>()
                                  .Attr<std::string_view>("kernel")
                                  .RemainingArgs()
                                  .RemainingRets());

extern "C" {

// The signature codes this library implements, comma-separated.
const char* autocallback_signatures() {
  static const std::string text = [] {
    std::string t;
    for (const Signature& s : signatures()) {
      if (!t.empty()) t.push_back(',');
      t += s.code;
    }
    return t;
  }();
  return text.c_str();
}

// Fills the registry: `count` kernels, each a name, its signature code, its address and
// (ufunc loops) its data pointer. Called once; returns the number registered, or -1 when
// the registry is already sealed.
int autocallback_register(int count, const char** names, const char** codes, void** fns,
                          void** datas) {
  if (g_sealed.exchange(true)) return -1;
  auto& map = registry();
  int added = 0;
  for (int i = 0; i < count; ++i) {
    Kernel kernel{};
    if (ufunc_kernel(codes[i], fns[i], datas[i], &kernel)) {
      map[names[i]] = kernel;
      ++added;
      continue;
    }
    for (const Signature& s : signatures()) {
      if (s.code == codes[i]) {
        map[names[i]] = Kernel{fns[i], nullptr, s.range, s.nin, s.nout, std::string()};
        ++added;
        break;
      }
    }
  }
  return added;
}

// Upper bound on the threads one call uses (AUTOCALLBACK_THREADS).
void autocallback_set_threads(int threads) { g_threads = threads < 1 ? 1 : threads; }

}  // extern "C"
