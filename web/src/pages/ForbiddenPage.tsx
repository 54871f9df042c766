import { Button, Result } from 'antd';
import { Link } from 'react-router';

/** 无权限: shown for a page or an action the user's role does not allow (a 403, or a role check). */
export function ForbiddenPage({ message }: { message?: string }) {
  return (
    <Result
      status="403"
      title="无权限"
      subTitle={message ?? '您的账号没有访问此页面的权限。如需开通，请联系本单位负责人或系统管理员。'}
      extra={
        <Link to="/">
          <Button type="primary">返回工作台</Button>
        </Link>
      }
    />
  );
}

export default ForbiddenPage;
