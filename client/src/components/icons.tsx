import type { SVGProps } from 'react';

const base = { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true } as const;

export const HomeIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} {...p}><path d="M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z" /></svg>);
export const UsersIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} {...p}><circle cx="9" cy="8" r="3.5" /><path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M21.5 20a6.5 6.5 0 0 0-4-6" /></svg>);
export const MailIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} {...p}><rect x="3" y="5" width="18" height="14" rx="2" /><path d="m3 7 9 6 9-6" /></svg>);
export const SettingsIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} {...p}><circle cx="12" cy="12" r="3" /><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" /></svg>);
export const ChevronIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={14} height={14} {...p}><path d="m6 9 6 6 6-6" /></svg>);
export const CopyIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={14} height={14} {...p}><rect x="9" y="9" width="11" height="11" rx="2" /><path d="M5 15V5a2 2 0 0 1 2-2h10" /></svg>);
export const LockIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={14} height={14} {...p}><rect x="4" y="11" width="16" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" /></svg>);
export const BuildingIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} {...p}><rect x="4" y="3" width="16" height="18" rx="1.5" /><path d="M9 7h1M14 7h1M9 11h1M14 11h1M9 15h1M14 15h1M10 21v-3h4v3" /></svg>);
export const CardIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} {...p}><rect x="2.5" y="5" width="19" height="14" rx="2" /><path d="M2.5 10h19M6 15h4" /></svg>);
export const UserIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} {...p}><circle cx="12" cy="8" r="4" /><path d="M4 21a8 8 0 0 1 16 0" /></svg>);
export const MenuIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={18} height={18} {...p}><path d="M4 6h16M4 12h16M4 18h16" /></svg>);
export const SearchIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={16} height={16} {...p}><circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" /></svg>);
export const CheckIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={14} height={14} {...p}><path d="m5 12.5 4.5 4.5L19 7.5" /></svg>);
export const AlertIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={16} height={16} {...p}><path d="M12 3 2 20h20z" /><path d="M12 10v4.5M12 17.5v.01" /></svg>);
export const CheckCircleIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={18} height={18} {...p}><circle cx="12" cy="12" r="9" /><path d="m8 12.5 2.5 2.5L16 9.5" /></svg>);
export const AlertCircleIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={18} height={18} {...p}><circle cx="12" cy="12" r="9" /><path d="M12 7.5v5.5M12 16.5v.01" /></svg>);
export const InfoCircleIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={18} height={18} {...p}><circle cx="12" cy="12" r="9" /><path d="M12 11v5.5M12 7.5v.01" /></svg>);
export const CloseIcon = (p: SVGProps<SVGSVGElement>) => (<svg {...base} width={14} height={14} {...p}><path d="M6 6l12 12M18 6 6 18" /></svg>);
