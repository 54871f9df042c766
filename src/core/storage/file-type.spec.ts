import { detectEvidenceType } from './file-type';

describe('detectEvidenceType', () => {
  it('accepts a PDF, an image or an Office file whose bytes match its name', () => {
    expect(detectEvidenceType('现场照片.JPG', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({
      ext: 'jpg',
      mime: 'image/jpeg',
    });
    expect(detectEvidenceType('台账.pdf', Buffer.from('%PDF-1.7'))?.mime).toBe('application/pdf');
    expect(detectEvidenceType('清单.xlsx', Buffer.from('PK\x03\x04', 'binary'))?.ext).toBe('xlsx');
  });

  it('refuses an executable renamed to .pdf, and any type not on the list', () => {
    expect(detectEvidenceType('报告.pdf', Buffer.from('MZ\x90\x00', 'binary'))).toBeNull();
    expect(detectEvidenceType('脚本.sh', Buffer.from('#!/bin/sh'))).toBeNull();
    expect(detectEvidenceType('无扩展名', Buffer.from('%PDF'))).toBeNull();
  });
});
