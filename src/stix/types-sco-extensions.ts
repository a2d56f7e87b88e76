import { HTTP_REQUEST_HEADERS, PDF_INFO_KEYS, SOCKET_OPTION_RE, SOCKET_OPTIONS } from './iana-names.js';
import {
  bool,
  dictOf,
  hashes,
  hex,
  int,
  listOf,
  num,
  oneOf,
  type PropCheck,
  ref,
  type StructSpec,
  str,
  struct,
  timestamp,
  vocab,
} from './property-checks.js';
import { VOCABS } from './stix-vocabularies.js';
import { quote } from './validation-sink.js';

const nonNeg = int(0);

function dictKeys(
  check: (key: string, value: unknown, path: string, s: Parameters<PropCheck>[2]) => void,
): PropCheck {
  const base = dictOf();
  return (v, p, s) => {
    base(v, p, s);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
    for (const k in v) check(k, (v as Record<string, unknown>)[k], `${p}.${k}`, s);
  };
}

const pdfInfo = dictKeys((k, v, p, s) => {
  if (typeof v !== 'string') s.error(p, 'invalid-property-type', `${p}: values must be strings`);
  if (!PDF_INFO_KEYS.has(k)) {
    s.warn(
      p,
      'format-advice',
      `${p}: ${quote(k)} should be a PDF document information key (Title, Author, Subject, ...)`,
    );
  }
});

const socketOptions = dictKeys((k, v, p, s) => {
  if (typeof v !== 'number' || !Number.isInteger(v))
    s.error(p, 'invalid-property-type', `${p}: option values must be integers`);
  // The spec asks for option names (SO_*, IP_*, ...) without a MUST: unknown names only warn.
  if (!SOCKET_OPTION_RE.test(k)) {
    s.warn(p, 'format-advice', `${p}: ${quote(k)} should be a socket option name like SO_REUSEADDR`);
  } else if (!SOCKET_OPTIONS.has(k)) {
    s.warn(p, 'format-advice', `${p}: ${quote(k)} is not a known socket option`);
  }
});

const requestHeader = dictKeys((k, v, p, s) => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    s.error(p, 'invalid-property-type', `${p}: header values must be a list of strings`);
  }
  if (!HTTP_REQUEST_HEADERS.has(k))
    s.warn(p, 'format-advice', `${p}: ${quote(k)} is not a known HTTP request header`);
});

const priority: PropCheck = (v, p, s) => {
  if (typeof v !== 'string') return s.error(p, 'invalid-property-type', `${p}: ${quote(v)} is not a string`);
  if (!v.endsWith('_CLASS'))
    s.warn(p, 'format-advice', `${p}: ${quote(v)} should end in _CLASS, e.g. HIGH_PRIORITY_CLASS`);
};

/** section 6.7.6: time_date_stamp MUST be precise to the second: no fraction (as the JSON schema reads it). */
const timestampSeconds: PropCheck = (v, p, s) => {
  if (typeof v === 'string' && /\.\d+Z$/.test(v)) {
    s.error(p, 'invalid-timestamp', `${p}: ${quote(v)} must be to the second, like 2016-01-20T14:11:25Z`);
    return;
  }
  timestamp(v, p, s);
};

const section = struct({ props: { name: str, size: nonNeg, entropy: num(), hashes }, required: ['name'] });

const optionalHeader = struct({
  // section 6.7.6: an optional header, when given, MUST have at least one property.
  rules: [
    (o, p, s) => {
      for (const _ in o) return;
      s.error(p, 'co-constraint', `${p}: must have at least one property; add one or remove it`);
    },
  ],
  props: {
    magic_hex: hex,
    major_linker_version: int(),
    minor_linker_version: int(),
    size_of_code: nonNeg,
    size_of_initialized_data: nonNeg,
    size_of_uninitialized_data: nonNeg,
    address_of_entry_point: int(),
    base_of_code: int(),
    base_of_data: int(),
    image_base: int(),
    section_alignment: int(),
    file_alignment: int(),
    major_os_version: int(),
    minor_os_version: int(),
    major_image_version: int(),
    minor_image_version: int(),
    major_subsystem_version: int(),
    minor_subsystem_version: int(),
    win32_version_value_hex: hex,
    size_of_image: nonNeg,
    size_of_headers: nonNeg,
    checksum_hex: hex,
    subsystem_hex: hex,
    dll_characteristics_hex: hex,
    size_of_stack_reserve: nonNeg,
    size_of_stack_commit: nonNeg,
    size_of_heap_reserve: nonNeg,
    size_of_heap_commit: nonNeg,
    loader_flags_hex: hex,
    number_of_rva_and_sizes: int(),
    hashes,
  },
});

/** The predefined extensions of section 6, by SCO type and name. */
export const SCO_EXTENSIONS: Readonly<Record<string, Readonly<Record<string, StructSpec>>>> = {
  file: {
    'archive-ext': {
      props: { contains_refs: listOf(ref({ types: ['file', 'directory'] })), comment: str },
      required: ['contains_refs'],
    },
    'ntfs-ext': {
      props: {
        sid: str,
        alternate_data_streams: listOf(
          struct({ props: { name: str, hashes, size: nonNeg }, required: ['name'] }),
        ),
      },
    },
    'pdf-ext': {
      props: { version: str, is_optimized: bool, document_info_dict: pdfInfo, pdfid0: str, pdfid1: str },
    },
    'raster-image-ext': {
      props: { image_height: nonNeg, image_width: nonNeg, bits_per_pixel: nonNeg, exif_tags: dictOf() },
    },
    'windows-pebinary-ext': {
      props: {
        pe_type: vocab('windows-pebinary-type-ov', VOCABS['windows-pebinary-type-ov']),
        imphash: str,
        machine_hex: hex,
        number_of_sections: nonNeg,
        time_date_stamp: timestampSeconds,
        pointer_to_symbol_table_hex: hex,
        number_of_symbols: nonNeg,
        size_of_optional_header: nonNeg,
        characteristics_hex: hex,
        file_header_hashes: hashes,
        optional_header: optionalHeader,
        sections: listOf(section),
      },
      required: ['pe_type'],
    },
  },
  'network-traffic': {
    'http-request-ext': {
      props: {
        request_method: str,
        request_value: str,
        request_version: str,
        request_header: requestHeader,
        message_body_length: nonNeg,
        message_body_data_ref: ref({ types: ['artifact'] }),
      },
      required: ['request_method', 'request_value'],
    },
    'icmp-ext': {
      props: { icmp_type_hex: hex, icmp_code_hex: hex },
      required: ['icmp_type_hex', 'icmp_code_hex'],
    },
    'socket-ext': {
      props: {
        address_family: oneOf([
          'AF_UNSPEC',
          'AF_INET',
          'AF_IPX',
          'AF_APPLETALK',
          'AF_NETBIOS',
          'AF_INET6',
          'AF_IRDA',
          'AF_BTH',
        ]),
        is_blocking: bool,
        is_listening: bool,
        options: socketOptions,
        socket_type: oneOf(['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET']),
        socket_descriptor: nonNeg,
        socket_handle: int(),
      },
      required: ['address_family'],
    },
    'tcp-ext': { props: { src_flags_hex: hex, dst_flags_hex: hex } },
  },
  process: {
    'windows-process-ext': {
      props: {
        aslr_enabled: bool,
        dep_enabled: bool,
        priority,
        owner_sid: str,
        window_title: str,
        startup_info: dictOf(),
        integrity_level: oneOf(['low', 'medium', 'high', 'system']),
      },
    },
    'windows-service-ext': {
      props: {
        service_name: str,
        descriptions: listOf(str),
        display_name: str,
        group_name: str,
        start_type: oneOf([
          'SERVICE_AUTO_START',
          'SERVICE_BOOT_START',
          'SERVICE_DEMAND_START',
          'SERVICE_DISABLED',
          'SERVICE_SYSTEM_ALERT',
        ]),
        service_dll_refs: listOf(ref({ types: ['file'] })),
        service_type: oneOf([
          'SERVICE_KERNEL_DRIVER',
          'SERVICE_FILE_SYSTEM_DRIVER',
          'SERVICE_WIN32_OWN_PROCESS',
          'SERVICE_WIN32_SHARE_PROCESS',
        ]),
        service_status: oneOf([
          'SERVICE_CONTINUE_PENDING',
          'SERVICE_PAUSE_PENDING',
          'SERVICE_PAUSED',
          'SERVICE_RUNNING',
          'SERVICE_START_PENDING',
          'SERVICE_STOP_PENDING',
          'SERVICE_STOPPED',
        ]),
      },
    },
  },
  'user-account': {
    'unix-account-ext': { props: { gid: int(), groups: listOf(str), home_dir: str, shell: str } },
  },
};
